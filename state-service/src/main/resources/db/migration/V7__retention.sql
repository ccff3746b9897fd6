-- Retention prunes by age in small batches; these indexes keep each batch an index range scan.
CREATE INDEX run_event_time_idx ON run_event (time);
CREATE INDEX tick_completed_idx ON tick (completed_at) WHERE status = 'completed';
