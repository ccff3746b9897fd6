package dev.loopline.gate.messaging;

import dev.loopline.schemas.events.DeadLetter;
import dev.loopline.support.messaging.KafkaMessages;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/** Sends a message the gate cannot read or handle to the dead-letter topic, with where it came from and why. */
@ApplicationScoped
public class DeadLetterProducer {

    static final String SERVICE = "gate-service";
    private static final Logger LOG = Logger.getLogger(DeadLetterProducer.class);

    private final MutinyEmitter<String> emitter;
    private final MeterRegistry registry;

    public DeadLetterProducer(
            @Channel(GateChannels.DEAD_LETTERS) MutinyEmitter<String> emitter, MeterRegistry registry) {
        this.emitter = emitter;
        this.registry = registry;
    }

    /** Sends without waiting: for the control reader, which must never block on the broker. */
    public void sendLater(DeadLetter letter) {
        LOG.warnf("dead-lettering %s-%d@%d: %s", letter.topic(), letter.partition(), letter.offset(), letter.reason());
        emitter.sendMessage(KafkaMessages.outgoing(letter))
                .subscribe()
                .with(ok -> {}, failure -> LOG.warnf("could not dead-letter %s: %s", letter.key(), failure));
        KafkaMessages.countDeadLetter(registry, letter);
    }

    /** Sends and waits for the broker: for the verdict consumer, which acknowledges only after. */
    public void send(DeadLetter letter) {
        emitter.sendMessageAndAwait(KafkaMessages.outgoing(letter));
        KafkaMessages.countDeadLetter(registry, letter);
    }
}
