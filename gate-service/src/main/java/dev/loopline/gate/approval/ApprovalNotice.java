package dev.loopline.gate.approval;

import dev.loopline.schemas.events.Finding;
import java.time.Instant;
import java.util.List;

/**
 * What chat integrations (Slack, outbound webhooks) and pull-request providers are told about an approval request:
 * a read-only snapshot, taken when the request opened or was decided.
 *
 * @param id the request's id, as used in {@code /api/v1/approvals/{id}} and in {@code loopline approve <id>}
 * @param triggeredBy who or what triggered the tick (a user name, {@code cadence}, {@code event:...})
 * @param quorum how many distinct approvers must approve
 * @param dashboardUrl where a human sees the tick and its diff, or null when no dashboard URL is configured
 */
public record ApprovalNotice(
        String id,
        String team,
        String loopId,
        String tickId,
        int attempt,
        String repo,
        String branch,
        String baseRef,
        String baseSha,
        String commit,
        String diffSha256,
        String summary,
        List<Finding> findings,
        String triggeredBy,
        State state,
        int quorum,
        List<Vote> votes,
        Instant openedAt,
        Instant expiresAt,
        String reason,
        String dashboardUrl) {

    public ApprovalNotice {
        findings = findings == null ? List.of() : List.copyOf(findings);
        votes = votes == null ? List.of() : List.copyOf(votes);
    }

    /** Where a request is in its life; every state but {@code OPEN} is final. */
    public enum State {
        OPEN,
        /** Quorum reached and the change fast-forwarded onto the base. */
        MERGED,
        REJECTED,
        /** Nobody decided before the expiry; escalated. */
        EXPIRED,
        /** The change it was bound to is gone (new attempt, branch pushed over, re-verification failed). */
        VOIDED
    }

    /** Where a human's decision came from. */
    public enum Channel {
        REST,
        CLI,
        SLACK,
        DASHBOARD
    }

    /** One human's approval or rejection. */
    public record Vote(String by, Channel channel, boolean approve, String comment, Instant at) {}
}
