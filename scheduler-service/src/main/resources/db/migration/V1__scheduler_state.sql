-- Scheduler state shared by every replica: what must hold across replicas and restarts lives here,
-- the spec files stay the source of the loops themselves. See docs/adr/0007.

-- One row per loop id ever seen (valid or invalid spec). Operator pause, anomaly halt, the cadence/cron
-- slot chain (next_run_at is the next slot; last_slot the last one taken) and the last refusal.
CREATE TABLE loop_state (
    loop_id            TEXT        PRIMARY KEY,
    paused_by          TEXT,
    paused_reason      TEXT,
    paused_at          TIMESTAMPTZ,
    halt_kind          TEXT,
    halt_detail        TEXT,
    halted_at          TIMESTAMPTZ,
    -- the anomaly window only counts outcomes recorded after this loop_outcome.seq (moved by resume)
    outcomes_after     BIGINT      NOT NULL DEFAULT 0,
    -- the cadence/cron/pause windows next_run_at was computed for; a different one recomputes it
    timing_key         TEXT,
    next_run_at        TIMESTAMPTZ,
    last_slot          TIMESTAMPTZ,
    last_triggered_at  TIMESTAMPTZ,
    last_refusal       TEXT,
    last_refusal_at    TIMESTAMPTZ,
    CONSTRAINT loop_state_pause_whole CHECK ((paused_by IS NULL) = (paused_at IS NULL)),
    CONSTRAINT loop_state_halt_whole CHECK ((halt_kind IS NULL) = (halted_at IS NULL))
);

-- Tick outcomes for stall/oscillation halting; the tick id makes a redelivered completion count once.
CREATE TABLE loop_outcome (
    seq          BIGSERIAL   PRIMARY KEY,
    tick_id      TEXT        NOT NULL UNIQUE,
    loop_id      TEXT        NOT NULL,
    outcome      TEXT        NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX loop_outcome_by_loop ON loop_outcome (loop_id, seq DESC);

-- The collision guard: a row per tick in flight. The primary key allows one tick in flight per loop, the
-- partial unique index one writing loop (assisted-fix at L2/L3) per repository. Released by the tick's
-- TickCompleted (by tick id) or taken over once expires_at (acquired_at + tick timeout) has passed.
CREATE TABLE tick_lease (
    loop_id       TEXT        PRIMARY KEY,
    tick_id       TEXT        NOT NULL UNIQUE,
    team          TEXT        NOT NULL,
    repo          TEXT        NOT NULL,
    writes        BOOLEAN     NOT NULL,
    trigger_kind  TEXT        NOT NULL,
    holder        TEXT        NOT NULL,
    acquired_at   TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX tick_lease_one_writer_per_repo ON tick_lease (repo) WHERE writes;
CREATE INDEX tick_lease_by_expiry ON tick_lease (expires_at);

-- Leadership of the cadence/cron due-check: one row, held by the replica that renews it before
-- expires_at; expiry is judged by the database clock (now()), never a replica's.
CREATE TABLE scheduler_leader (
    id           SMALLINT    PRIMARY KEY CHECK (id = 1),
    holder       TEXT        NOT NULL,
    acquired_at  TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL
);
