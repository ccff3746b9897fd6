package dev.loopline.state.runlog;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.UUID;

/**
 * {@code data} of a live stream event: the run event, and its tick as it is when the stream reads the event (null
 * for an event without a tick row).
 */
public record StreamData(TickView tick, EventView event) {

    /** A run event as streamed; {@code data} is the stored payload, written as the JSON it is. */
    public record EventView(
            long seq,
            UUID id,
            String type,
            Instant time,
            String loopId,
            String tickId,
            String team,
            int attempt,
            String source,
            @JsonRawValue String data) {}
}
