package dev.loopline.guard.messaging;

import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.DeadLetter;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.support.messaging.Inbound;
import dev.loopline.support.messaging.KafkaMessages;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes verdicts keyed by loop id and waits for the broker's acknowledgement, so the proposal is only
 * acknowledged after its verdict is stored.
 */
@ApplicationScoped
public class EventProducer implements Inbound.Outbox {

    @Inject
    @Channel(GuardChannels.VERDICTS)
    MutinyEmitter<String> verdicts;

    @Inject
    @Channel(GuardChannels.DEAD_LETTERS)
    MutinyEmitter<String> deadLetters;

    @Inject
    MeterRegistry registry;

    @Override
    public void publish(Event event) {
        if (!(event.data() instanceof ChangeVerified)) {
            throw new IllegalArgumentException("guard-service does not emit " + event.type());
        }
        verdicts.sendMessageAndAwait(KafkaMessages.keyed(EventCodec.encode(event), event.loopId()));
    }

    @Override
    public void publish(DeadLetter deadLetter) {
        KafkaMessages.countDeadLetter(registry, deadLetter);
        deadLetters.sendMessageAndAwait(KafkaMessages.outgoing(deadLetter));
    }
}
