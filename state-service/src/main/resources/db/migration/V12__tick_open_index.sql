-- The deadline sweep looks for open ticks whose row has not changed for a while; completed ticks are the vast
-- majority, so the index holds only the open ones.
CREATE INDEX tick_open_updated_idx ON tick (updated_at, tick_id) WHERE status <> 'completed';
