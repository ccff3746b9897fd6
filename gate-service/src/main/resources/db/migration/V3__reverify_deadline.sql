-- When the approved change was last sent back to the guard on a moved base (set with reverify_base): a verdict that
-- never comes voids the request after loopline.gate.approvals.reverify-timeout instead of leaving it open until it
-- expires.
ALTER TABLE approval_request ADD COLUMN reverify_since timestamptz;

CREATE INDEX approval_request_reverifying ON approval_request (reverify_since)
    WHERE state = 'OPEN' AND reverify_base IS NOT NULL;
