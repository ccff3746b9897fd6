-- Daily token caps per scope, set through PUT /api/v1/budget/caps (config supplies defaults).
CREATE TABLE budget_cap (
    scope_kind   varchar(8)   NOT NULL,
    scope_id     varchar(63)  NOT NULL,
    daily_tokens bigint       NOT NULL CHECK (daily_tokens >= 0),
    time_zone    varchar(64),
    updated_at   timestamptz  NOT NULL,
    PRIMARY KEY (scope_kind, scope_id),
    CONSTRAINT budget_cap_kind_check CHECK (scope_kind IN ('global', 'team', 'loop'))
);

-- One row per scope and day: the lock every reservation of that scope and day takes, and the settled sum.
CREATE TABLE budget_period (
    scope_kind varchar(8)  NOT NULL,
    scope_id   varchar(63) NOT NULL,
    day        date        NOT NULL,
    settled    bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (scope_kind, scope_id, day)
);

-- A hold of tokens on one or more scopes; held until settled, released or expired.
CREATE TABLE budget_reservation (
    id             uuid        PRIMARY KEY,
    tokens         bigint      NOT NULL CHECK (tokens > 0),
    status         varchar(10) NOT NULL,
    created_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    settled_tokens bigint,
    model          varchar(200),
    closed_at      timestamptz,
    CONSTRAINT budget_reservation_status_check CHECK (status IN ('held', 'settled', 'released', 'expired'))
);

CREATE INDEX budget_reservation_held_idx ON budget_reservation (expires_at) WHERE status = 'held';

-- Which scope-days a reservation charges.
CREATE TABLE budget_charge (
    reservation_id uuid        NOT NULL REFERENCES budget_reservation (id),
    scope_kind     varchar(8)  NOT NULL,
    scope_id       varchar(63) NOT NULL,
    day            date        NOT NULL,
    PRIMARY KEY (reservation_id, scope_kind, scope_id),
    FOREIGN KEY (scope_kind, scope_id, day) REFERENCES budget_period (scope_kind, scope_id, day)
);

CREATE INDEX budget_charge_period_idx ON budget_charge (scope_kind, scope_id, day);
