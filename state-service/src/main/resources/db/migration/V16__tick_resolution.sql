-- A tick that ended awaiting approval is resolved later by its approval request (merged, rejected, expired,
-- voided): the tick's outcome stays as it ended (a tick ends once, ADR 0016); the resolution is shown beside it.
ALTER TABLE tick ADD COLUMN approval_id text;
ALTER TABLE tick ADD COLUMN resolution text;
ALTER TABLE tick ADD COLUMN resolution_attempt integer;
ALTER TABLE tick ADD COLUMN resolved_at timestamptz;
