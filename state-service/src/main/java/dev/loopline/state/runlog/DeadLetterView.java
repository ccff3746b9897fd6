package dev.loopline.state.runlog;

import java.time.Instant;

public record DeadLetterView(
        long id,
        String service,
        String topic,
        int partition,
        long offset,
        String key,
        String reason,
        String payload,
        Instant time) {

    public static DeadLetterView of(DeadLetterEntity d) {
        return new DeadLetterView(d.id, d.service, d.topic, d.partition, d.offset, d.key, d.reason, d.payload, d.time);
    }
}
