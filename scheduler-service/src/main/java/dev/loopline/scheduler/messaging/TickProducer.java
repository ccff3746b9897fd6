package dev.loopline.scheduler.messaging;

import dev.loopline.scheduler.service.TickPublisher;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.support.messaging.KafkaMessages;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes TickTriggered events keyed by loop id, waiting for the broker's acknowledgement. */
@ApplicationScoped
public class TickProducer implements TickPublisher {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final MutinyEmitter<String> emitter;

    public TickProducer(@Channel(SchedulerChannels.TICKS) MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    @Override
    public void publish(Event tickTriggered) {
        emitter.sendMessage(KafkaMessages.keyed(EventCodec.encode(tickTriggered), tickTriggered.loopId()))
                .await()
                .atMost(SEND_TIMEOUT);
    }
}
