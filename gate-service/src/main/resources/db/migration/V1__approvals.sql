-- Approval requests of the gate: one per (tick, attempt), bound to the exact diff, its base and the loop's policy.
CREATE TABLE approval_request (
    id             text PRIMARY KEY,
    team           text        NOT NULL,
    loop_id        text        NOT NULL,
    tick_id        text        NOT NULL,
    attempt        integer     NOT NULL,
    repo           text        NOT NULL,
    branch         text        NOT NULL,
    base_ref       text        NOT NULL,
    base_sha       text        NOT NULL,
    commit_sha     text        NOT NULL,
    diff_sha256    text        NOT NULL,
    policy_version text        NOT NULL,
    summary        text        NOT NULL,
    triggered_by   text,
    verdict        text        NOT NULL, -- the ChangeVerified data (JSON): diff, findings, spec for re-verification
    state          text        NOT NULL CHECK (state IN ('OPEN', 'MERGED', 'REJECTED', 'EXPIRED', 'VOIDED')),
    quorum         integer     NOT NULL CHECK (quorum >= 1),
    opened_at      timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    reason         text        NOT NULL,
    decided_at     timestamptz,
    merged_commit  text,
    -- the base the approved change was last sent back to the guard on, while that verdict is pending
    reverify_base  text,
    reverify_round integer     NOT NULL DEFAULT 0,
    UNIQUE (tick_id, attempt)
);

CREATE INDEX approval_request_open ON approval_request (expires_at) WHERE state = 'OPEN';
CREATE INDEX approval_request_loop ON approval_request (team, loop_id, opened_at DESC);

-- One vote per human per request: the primary key makes a double click count once.
CREATE TABLE approval_vote (
    approval_id text        NOT NULL REFERENCES approval_request (id),
    voter       text        NOT NULL,
    approve     boolean     NOT NULL,
    channel     text        NOT NULL,
    comment     text,
    voted_at    timestamptz NOT NULL,
    PRIMARY KEY (approval_id, voter)
);

-- Who or what triggered each tick (from loopline.ticks): whoever triggered a tick may not approve it.
CREATE TABLE tick_trigger (
    tick_id      text PRIMARY KEY,
    kind         text        NOT NULL,
    triggered_by text        NOT NULL,
    seen_at      timestamptz NOT NULL
);

-- Events written in the same transaction as the change they report, sent after commit (transactional outbox):
-- a gate that dies between its database commit and Kafka still publishes them, from the sweep.
CREATE TABLE approval_outbox (
    event_id   uuid PRIMARY KEY,
    event      text        NOT NULL,
    created_at timestamptz NOT NULL,
    claimed_at timestamptz,
    sent_at    timestamptz
);

CREATE INDEX approval_outbox_unsent ON approval_outbox (created_at) WHERE sent_at IS NULL;
