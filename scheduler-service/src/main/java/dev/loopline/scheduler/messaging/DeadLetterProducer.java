package dev.loopline.scheduler.messaging;

import dev.loopline.schemas.events.DeadLetter;
import dev.loopline.support.messaging.KafkaMessages;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/** Sends a message the scheduler cannot read or handle to the dead-letter topic, with where it came from and why. */
@ApplicationScoped
public class DeadLetterProducer {

    static final String SERVICE = "scheduler-service";
    private static final Logger LOG = Logger.getLogger(DeadLetterProducer.class);

    private final MutinyEmitter<String> emitter;
    private final Clock clock;
    private final MeterRegistry registry;

    public DeadLetterProducer(
            @Channel(SchedulerChannels.DEAD_LETTERS) MutinyEmitter<String> emitter,
            Clock clock,
            MeterRegistry registry) {
        this.emitter = emitter;
        this.clock = clock;
        this.registry = registry;
    }

    public void send(Message<String> message, String reason) {
        DeadLetter letter = KafkaMessages.deadLetter(SERVICE, message, reason, clock.instant());
        LOG.warnf("dead-lettering %s-%d@%d: %s", letter.topic(), letter.partition(), letter.offset(), reason);
        emitter.sendMessageAndAwait(KafkaMessages.outgoing(letter));
        KafkaMessages.countDeadLetter(registry, letter);
    }
}
