-- Where each approval request's Slack message is (the channel id and the message ts from chat.postMessage, or from a
-- button click's payload), so that whichever gate replica decides the request updates that message, also after a
-- restart, instead of posting a second one. The first record of a request wins.
CREATE TABLE slack_message (
    approval_id text PRIMARY KEY,
    channel     text        NOT NULL,
    ts          text        NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
