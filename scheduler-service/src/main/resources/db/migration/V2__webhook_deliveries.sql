-- Webhook deliveries already accepted (replay protection across scheduler replicas).
-- V1 is reserved for the scheduler's lease tables.
CREATE TABLE webhook_delivery (
    source      text        NOT NULL,
    delivery_id text        NOT NULL,
    body_sha256 text        NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (source, delivery_id)
);

-- The delivery id header is not signed: the same signed body under a new id is a replay too.
CREATE UNIQUE INDEX webhook_delivery_body ON webhook_delivery (source, body_sha256);

-- Pruning by age.
CREATE INDEX webhook_delivery_received_at ON webhook_delivery (received_at);
