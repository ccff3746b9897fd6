-- The control log also shows the approval decisions the gate records on loopline.approvals: a human's approval or
-- rejection (with the channel and comment) and the gate's expiry or voiding of a request, logged under the loop's
-- scope with the request and the tick, once per event.
ALTER TABLE control_event ALTER COLUMN action TYPE varchar(32);
ALTER TABLE control_event ADD COLUMN approval_id text;
ALTER TABLE control_event ADD COLUMN tick_id text;
ALTER TABLE control_event ADD COLUMN channel varchar(16);
ALTER TABLE control_event ADD COLUMN event_id uuid;
ALTER TABLE control_event ADD CONSTRAINT control_event_event_id_key UNIQUE (event_id);
