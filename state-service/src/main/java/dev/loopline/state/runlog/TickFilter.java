package dev.loopline.state.runlog;

import java.time.Instant;

/** Criteria of a tick listing; null fields do not filter. {@code until} is exclusive. */
public record TickFilter(String loopId, String team, String outcome, Instant since, Instant until) {}
