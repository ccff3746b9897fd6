package dev.loopline.scheduler.messaging;

import dev.loopline.schemas.events.DeadLetter;
import dev.loopline.support.messaging.KafkaMessages;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/** Sends a message the scheduler cannot read or handle to the dead-letter topic, with where it came from and why. */
@ApplicationScoped
public class DeadLetterProducer {

    static final String SERVICE = "scheduler-service";
    private static final Logger LOG = Logger.getLogger(DeadLetterProducer.class);

    private final MutinyEmitter<String> emitter;
    private final MeterRegistry registry;

    public DeadLetterProducer(
            @Channel(SchedulerChannels.DEAD_LETTERS) MutinyEmitter<String> emitter, MeterRegistry registry) {
        this.emitter = emitter;
        this.registry = registry;
    }

    /** Sends and waits for the broker: the record it stands for is acknowledged only after. */
    public void send(DeadLetter letter) {
        LOG.warnf("dead-lettering %s-%d@%d: %s", letter.topic(), letter.partition(), letter.offset(), letter.reason());
        emitter.sendMessageAndAwait(KafkaMessages.outgoing(letter));
        KafkaMessages.countDeadLetter(registry, letter);
    }
}
