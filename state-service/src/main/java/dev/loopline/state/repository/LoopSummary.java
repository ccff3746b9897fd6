package dev.loopline.state.repository;

import java.time.Instant;

/** A loop as seen through its ticks. {@code lastOutcome} is that of the newest completed tick. */
public record LoopSummary(
        String loopId,
        String team,
        Instant lastTickAt,
        String lastTickId,
        String lastStatus,
        String lastOutcome,
        long tickCount) {}
