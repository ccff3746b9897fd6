-- Why the approval request of a tick was resolved as it was (the final ApprovalRecorded's reason: who merged or
-- rejected it, why it expired or was voided), shown beside the resolution.
ALTER TABLE tick ADD COLUMN resolution_reason text;
