package dev.loopline.agent.messaging;

import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.DeadLetter;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.events.TickCompleted;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes the agent's events keyed by loop id and waits for the broker's acknowledgement, so the input
 * is only acknowledged after its output is stored.
 */
@ApplicationScoped
public class EventProducer {

    private static final Logger LOG = Logger.getLogger(EventProducer.class);

    @Inject
    @Channel(AgentChannels.PROPOSALS)
    MutinyEmitter<String> proposals;

    @Inject
    @Channel(AgentChannels.COMPLETIONS)
    MutinyEmitter<String> completions;

    @Inject
    @Channel(AgentChannels.DEAD_LETTERS)
    MutinyEmitter<String> deadLetters;

    @Inject
    MeterRegistry registry;

    public void publish(Event event) {
        MutinyEmitter<String> emitter;
        if (event.data() instanceof ChangeProposed) {
            emitter = proposals;
        } else if (event.data() instanceof TickCompleted) {
            emitter = completions;
        } else {
            throw new IllegalArgumentException("agent-service does not emit " + event.type());
        }
        emitter.sendMessageAndAwait(keyed(EventCodec.encode(event), event.loopId()));
    }

    public void publish(DeadLetter deadLetter) {
        registry.counter("loopline.agent.dead_letters", "topic", String.valueOf(deadLetter.topic()))
                .increment();
        deadLetters.sendMessageAndAwait(keyed(EventCodec.encode(deadLetter), deadLetter.key()));
    }

    /** Sends without waiting: for threads that must never block on the broker (the control consumer). */
    public void publishLater(DeadLetter deadLetter) {
        registry.counter("loopline.agent.dead_letters", "topic", String.valueOf(deadLetter.topic()))
                .increment();
        deadLetters
                .sendMessage(keyed(EventCodec.encode(deadLetter), deadLetter.key()))
                .subscribe()
                .with(ok -> {}, failure -> LOG.warnf("could not dead-letter %s: %s", deadLetter.key(), failure));
    }

    private static Message<String> keyed(String payload, String key) {
        return Message.of(payload)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(key)
                        .build());
    }
}
