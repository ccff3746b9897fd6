-- Kill switches: the current state per scope ...
CREATE TABLE control_switch (
    scope_kind varchar(8)   NOT NULL,
    scope_id   varchar(63)  NOT NULL,
    state      varchar(8)   NOT NULL,
    reason     text         NOT NULL,
    actor      varchar(200) NOT NULL,
    updated_at timestamptz  NOT NULL,
    PRIMARY KEY (scope_kind, scope_id),
    CONSTRAINT control_switch_kind_check CHECK (scope_kind IN ('global', 'team', 'loop')),
    CONSTRAINT control_switch_state_check CHECK (state IN ('killed', 'resumed'))
);

-- ... and every change of it, append-only: who, why, when.
CREATE TABLE control_event (
    id         bigserial    PRIMARY KEY,
    scope_kind varchar(8)   NOT NULL,
    scope_id   varchar(63)  NOT NULL,
    action     varchar(8)   NOT NULL,
    reason     text         NOT NULL,
    actor      varchar(200) NOT NULL,
    time       timestamptz  NOT NULL
);

CREATE INDEX control_event_scope_idx ON control_event (scope_kind, scope_id, time DESC);
