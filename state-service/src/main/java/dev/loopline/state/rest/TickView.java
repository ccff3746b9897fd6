package dev.loopline.state.rest;

import dev.loopline.state.repository.TickEntity;
import java.time.Instant;

/** A tick as listed: its state, without the timeline. */
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
        Instant updatedAt) {

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
                t.updatedAt);
    }
}
