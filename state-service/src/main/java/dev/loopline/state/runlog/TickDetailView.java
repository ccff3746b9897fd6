package dev.loopline.state.runlog;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A tick and its full timeline: the tick's fields (as in the listing) at the top level, plus every recorded
 * event in order with its data (diff, findings, test output, tokens), and {@code costUsd}, what its settled budget
 * holds cost at the configured model prices (null when its model has none).
 */
public record TickDetailView(@JsonUnwrapped TickView tick, List<Step> timeline, BigDecimal costUsd) {

    public record Step(UUID id, String type, Instant time, int attempt, String source, JsonNode data) {}
}
