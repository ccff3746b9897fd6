-- Money: the USD cost of a settlement at the configured per-model prices (loopline.budget.prices.*), and its sum per
-- scope-day. Null on a reservation settled without a priced model.
ALTER TABLE budget_reservation ADD COLUMN cost_usd numeric(20, 9);
ALTER TABLE budget_period ADD COLUMN cost_usd numeric(20, 9) NOT NULL DEFAULT 0;
