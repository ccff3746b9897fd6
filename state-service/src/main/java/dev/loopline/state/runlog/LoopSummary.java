package dev.loopline.state.runlog;

import java.time.Instant;
import java.util.List;

/**
 * A loop as seen through its ticks. {@code level} is its newest tick's; {@code lastOutcome} is that of the newest
 * completed tick; {@code lastRunAt} is when the newest tick completed (its start while it runs); {@code openItems} counts
 * the ticks awaiting approval or escalated, {@code openTickIds} names the newest of them.
 */
public record LoopSummary(
        String loopId,
        String team,
        String level,
        Instant lastTickAt,
        String lastTickId,
        String lastStatus,
        String lastOutcome,
        Instant lastRunAt,
        long tickCount,
        long openItems,
        List<String> openTickIds) {

    /** How many open ticks {@link #openTickIds} names at most. */
    public static final int OPEN_TICKS_NAMED = 5;
}
