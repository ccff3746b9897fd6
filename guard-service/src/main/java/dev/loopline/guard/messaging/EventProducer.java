package dev.loopline.guard.messaging;

import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.DeadLetter;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes verdicts keyed by loop id and waits for the broker's acknowledgement, so the proposal is only
 * acknowledged after its verdict is stored.
 */
@ApplicationScoped
public class EventProducer {

    @Inject
    @Channel(GuardChannels.VERDICTS)
    MutinyEmitter<String> verdicts;

    @Inject
    @Channel(GuardChannels.DEAD_LETTERS)
    MutinyEmitter<String> deadLetters;

    @Inject
    MeterRegistry registry;

    public void publish(Event event) {
        if (!(event.data() instanceof ChangeVerified)) {
            throw new IllegalArgumentException("guard-service does not emit " + event.type());
        }
        verdicts.sendMessageAndAwait(keyed(EventCodec.encode(event), event.loopId()));
    }

    public void publish(DeadLetter deadLetter) {
        registry.counter("loopline.guard.dead_letters", "topic", deadLetter.topic())
                .increment();
        deadLetters.sendMessageAndAwait(keyed(EventCodec.encode(deadLetter), deadLetter.key()));
    }

    private static Message<String> keyed(String payload, String key) {
        return Message.of(payload)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(key)
                        .build());
    }
}
