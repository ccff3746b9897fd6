package dev.loopline.state.runlog;

import java.time.Instant;

/**
 * A tick as listed: its state, without the timeline. {@code resolution} is how the approval request of a tick that
 * ended {@code awaiting-approval} was resolved (merged, rejected, expired, voided), null while it is open, and {@code
 * resolutionReason} why (who merged or rejected it, why it expired or was voided).
 */
public record TickView(
        String tickId,
        String loopId,
        String team,
        String status,
        String outcome,
        String decision,
        String reason,
        String level,
        String kind,
        String triggerKind,
        String triggeredBy,
        int attempts,
        long tokens,
        String branch,
        String commit,
        Instant startedAt,
        Instant triggeredAt,
        Instant completedAt,
        Instant updatedAt,
        String approvalId,
        String resolution,
        String resolutionReason,
        Instant resolvedAt) {

    public static TickView of(TickEntity t) {
        return new TickView(
                t.tickId,
                t.loopId,
                t.team,
                t.status,
                t.outcome,
                t.decision,
                t.reason,
                t.level,
                t.kind,
                t.triggerKind,
                t.triggeredBy,
                t.attempts,
                t.tokens,
                t.branch,
                t.commitSha,
                t.startedAt,
                t.triggeredAt,
                t.completedAt,
                t.updatedAt,
                t.approvalId,
                t.resolution,
                t.resolutionReason,
                t.resolvedAt);
    }
}
