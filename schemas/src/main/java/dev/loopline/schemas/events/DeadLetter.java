package dev.loopline.schemas.events;

import java.time.Instant;

/** A message a service could not parse, validate or handle; published to the dead-letter topic. */
public record DeadLetter(
        String service,
        String topic,
        int partition,
        long offset,
        String key,
        String reason,
        String payload,
        Instant time) {

    public static final int MAX_PAYLOAD_CHARS = 64 * 1024;

    public DeadLetter {
        if (payload != null && payload.length() > MAX_PAYLOAD_CHARS) {
            payload = payload.substring(0, MAX_PAYLOAD_CHARS);
        }
    }
}
