-- The live holds of a scope-day, summed from the holds in flight alone. Every reservation and every settle sums the
-- holds still live on each scope-day it charges, under that scope-day's lock, which serialises a team's
-- reservations. That sum used to join all of the day's charges to their reservations: one lookup per reservation of
-- the day, about 25 ms at 2,400, and growing through the day. Worse, the join's plan depended on fresh table
-- statistics; on a busy new day, before autovacuum analysed the tables, it read every held reservation once per
-- charge.
--
-- A charge now carries what its reservation holds (tokens, USD) and until when, while the reservation is held:
-- a hold never changes while it is held, so the copies cannot drift. The sum reads the charges of the scope-day
-- whose hold is still live, from a partial index that holds only those: no join, one plan, a cost that follows the
-- holds in flight and not the day's volume. A trigger clears held_until when a reservation leaves 'held' (settle,
-- release, the expiry sweep), so no path that closes one can forget; a reservation never goes back to held (a
-- revived one is deleted and inserted again, with new charges). An expired hold the sweeper has not marked yet
-- stays in the index and is filtered by held_until, as it was by expires_at.
ALTER TABLE budget_charge
    ADD COLUMN held_tokens bigint,
    ADD COLUMN held_usd    numeric(20, 9),
    ADD COLUMN held_until  timestamptz;

UPDATE budget_charge c
   SET held_tokens = r.tokens, held_usd = r.held_usd, held_until = r.expires_at
  FROM budget_reservation r
 WHERE r.id = c.reservation_id AND r.status = 'held';

CREATE INDEX budget_charge_live_idx ON budget_charge (scope_kind, scope_id, day) WHERE held_until IS NOT NULL;

CREATE FUNCTION budget_charge_close() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE budget_charge SET held_until = NULL WHERE reservation_id = NEW.id AND held_until IS NOT NULL;
    RETURN NULL;
END;
$$;

CREATE TRIGGER budget_reservation_closed
    AFTER UPDATE OF status ON budget_reservation
    FOR EACH ROW WHEN (OLD.status = 'held' AND NEW.status <> 'held')
    EXECUTE FUNCTION budget_charge_close();
