-- The append-only run log: every tick event exactly once, keyed by its (deterministic) event id.
CREATE TABLE run_event (
    id              uuid         PRIMARY KEY,
    type            varchar(64)  NOT NULL,
    source          varchar(100) NOT NULL,
    time            timestamptz  NOT NULL,
    loop_id         varchar(63)  NOT NULL,
    tick_id         varchar(80)  NOT NULL,
    team            varchar(63)  NOT NULL,
    attempt         integer      NOT NULL,
    payload         jsonb        NOT NULL,
    received_at     timestamptz  NOT NULL DEFAULT now(),
    kafka_topic     varchar(249),
    kafka_partition integer,
    kafka_offset    bigint
);

CREATE INDEX run_event_tick_idx ON run_event (tick_id, time, attempt);

-- The tick timeline, derived from the run log. Every column is merged so that events may arrive in any order.
CREATE TABLE tick (
    tick_id      varchar(80)  PRIMARY KEY,
    loop_id      varchar(63)  NOT NULL,
    team         varchar(63)  NOT NULL,
    status       varchar(16)  NOT NULL,
    outcome      varchar(32),
    decision     varchar(32),
    reason       text,
    level        varchar(4),
    kind         varchar(32),
    trigger_kind varchar(32),
    triggered_by varchar(200),
    attempts     integer      NOT NULL DEFAULT 0,
    tokens       bigint       NOT NULL DEFAULT 0,
    branch       varchar(255),
    commit_sha   varchar(64),
    started_at   timestamptz  NOT NULL,
    triggered_at timestamptz,
    completed_at timestamptz,
    updated_at   timestamptz  NOT NULL,
    CONSTRAINT tick_status_check CHECK (status IN ('triggered', 'running', 'completed'))
);

-- Newest first with a (started_at, tick_id) keyset cursor, optionally per loop or team.
CREATE INDEX tick_started_idx ON tick (started_at DESC, tick_id DESC);
CREATE INDEX tick_loop_started_idx ON tick (loop_id, started_at DESC, tick_id DESC);
CREATE INDEX tick_team_started_idx ON tick (team, started_at DESC, tick_id DESC);

-- Messages this service could not use, as also published to the dead-letter topic.
CREATE TABLE dead_letter (
    id              bigserial    PRIMARY KEY,
    service         varchar(100) NOT NULL,
    topic           varchar(249) NOT NULL,
    kafka_partition integer      NOT NULL,
    kafka_offset    bigint       NOT NULL,
    kafka_key       text,
    reason          text         NOT NULL,
    payload         text         NOT NULL,
    time            timestamptz  NOT NULL,
    CONSTRAINT dead_letter_source_unique UNIQUE (topic, kafka_partition, kafka_offset)
);

CREATE INDEX dead_letter_time_idx ON dead_letter (time DESC, id DESC);
