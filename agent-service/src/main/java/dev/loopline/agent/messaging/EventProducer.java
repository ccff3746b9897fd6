package dev.loopline.agent.messaging;

import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.DeadLetter;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.support.messaging.Inbound;
import dev.loopline.support.messaging.KafkaMessages;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Publishes the agent's events keyed by loop id and waits for the broker's acknowledgement, so the input
 * is only acknowledged after its output is stored.
 */
@ApplicationScoped
public class EventProducer implements Inbound.Outbox {

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

    @Override
    public void publish(Event event) {
        MutinyEmitter<String> emitter;
        if (event.data() instanceof ChangeProposed) {
            emitter = proposals;
        } else if (event.data() instanceof TickCompleted) {
            emitter = completions;
        } else {
            throw new IllegalArgumentException("agent-service does not emit " + event.type());
        }
        emitter.sendMessageAndAwait(KafkaMessages.keyed(EventCodec.encode(event), event.loopId()));
    }

    @Override
    public void publish(DeadLetter deadLetter) {
        KafkaMessages.countDeadLetter(registry, deadLetter);
        deadLetters.sendMessageAndAwait(KafkaMessages.outgoing(deadLetter));
    }

    /** Sends without waiting: for threads that must never block on the broker (the control consumer). */
    public void publishLater(DeadLetter deadLetter) {
        KafkaMessages.countDeadLetter(registry, deadLetter);
        deadLetters
                .sendMessage(KafkaMessages.outgoing(deadLetter))
                .subscribe()
                .with(ok -> {}, failure -> LOG.warnf("could not dead-letter %s: %s", deadLetter.key(), failure));
    }
}
