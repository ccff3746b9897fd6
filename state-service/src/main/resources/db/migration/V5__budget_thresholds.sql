-- Every time a scope-day's settled + held first reaches 80 / 90 / 100 % of its cap: once per scope, day and level.
-- published_at stays null until the alert is on loopline.control; a scheduled job retries unpublished ones.
CREATE TABLE budget_threshold_crossing (
    scope_kind   varchar(8)   NOT NULL,
    scope_id     varchar(63)  NOT NULL,
    day          date         NOT NULL,
    level        varchar(12)  NOT NULL,
    percent      integer      NOT NULL,
    used         bigint       NOT NULL,
    cap          bigint       NOT NULL,
    resets_at    timestamptz  NOT NULL,
    crossed_at   timestamptz  NOT NULL,
    published_at timestamptz,
    PRIMARY KEY (scope_kind, scope_id, day, level),
    CONSTRAINT budget_threshold_level_check CHECK (level IN ('report-only', 'alert', 'halt'))
);

CREATE INDEX budget_threshold_unpublished_idx ON budget_threshold_crossing (crossed_at) WHERE published_at IS NULL;

-- Burn rate: settled spend of a scope-day in the last hour.
CREATE INDEX budget_reservation_settled_idx ON budget_reservation (closed_at) WHERE status = 'settled';
