package dev.loopline.state.runlog;

import java.util.List;

/** One page of ticks, newest first; {@code nextCursor} is null on the last page. */
public record TickPage(List<TickView> items, String nextCursor) {}
