-- A tick's money: the agent names every hold "tick:<tickId>:attempt:<n>:call:<n>" (its idempotency key), so the
-- holds of one tick share the part before ":attempt:". Indexed so a tick's detail sums its cost without a scan of
-- the ledger.
CREATE INDEX budget_reservation_tick_idx ON budget_reservation ((split_part(idempotency_key, ':attempt:', 1)))
    WHERE idempotency_key LIKE 'tick:%';
