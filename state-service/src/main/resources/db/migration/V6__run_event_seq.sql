-- A monotonically increasing sequence of the run log: the id of the live stream's events (Last-Event-ID).
-- Assigned at insert, so it is not in commit order: the stream waits briefly for gaps (see RunEventStream).
ALTER TABLE run_event ADD COLUMN seq bigserial;
CREATE UNIQUE INDEX run_event_seq_idx ON run_event (seq);
