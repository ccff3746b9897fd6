-- Overshoot (ADR 0004, "Overshoot and the declared maximum"): a reservation may declare a maximum above the tokens it
-- expects to spend. The ledger holds the maximum (budget_reservation.tokens, as before: what counts against the caps),
-- so a settlement up to it always fits and settled + held ≤ cap still holds; expected_tokens keeps what the caller
-- expected (null: the same as tokens). A settlement above the expectation is recorded as overshoot, on the reservation
-- and summed per scope-day.
ALTER TABLE budget_reservation ADD COLUMN expected_tokens bigint CHECK (expected_tokens > 0);
ALTER TABLE budget_reservation ADD COLUMN overshoot_tokens bigint CHECK (overshoot_tokens >= 0);
ALTER TABLE budget_reservation ADD CONSTRAINT budget_reservation_expected_within_max
    CHECK (expected_tokens IS NULL OR expected_tokens <= tokens);
ALTER TABLE budget_period ADD COLUMN overshoot bigint NOT NULL DEFAULT 0 CHECK (overshoot >= 0);
