package dev.loopline.scheduler.messaging;

import dev.loopline.scheduler.service.SchedulerService;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.events.EventType;
import dev.loopline.schemas.events.InvalidEventException;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Frees a loop when its tick completes. Idempotent: completing a tick that is no longer in flight (a
 * redelivery, or a tick from before a restart) changes nothing.
 */
@ApplicationScoped
public class CompletionConsumer {

    private final SchedulerService scheduler;
    private final DeadLetterProducer deadLetters;

    public CompletionConsumer(SchedulerService scheduler, DeadLetterProducer deadLetters) {
        this.scheduler = scheduler;
        this.deadLetters = deadLetters;
    }

    @Incoming(SchedulerChannels.COMPLETIONS)
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(Message<String> message) {
        try {
            Event event = EventCodec.decode(message.getPayload());
            if (event.eventType() != EventType.TICK_COMPLETED) {
                deadLetters.send(message, "expected " + EventType.TICK_COMPLETED.wireName() + ", got " + event.type());
            } else {
                scheduler.completed(event.loopId(), event.tickId());
            }
        } catch (InvalidEventException e) {
            deadLetters.send(message, e.getMessage());
        } catch (RuntimeException e) {
            deadLetters.send(message, "cannot handle completion: " + e);
        }
        return message.ack();
    }
}
