package dev.loopline.gate.messaging;

import dev.loopline.gate.repository.ApprovalRepository;
import dev.loopline.schemas.events.DeadLetter;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventType;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.support.messaging.Inbound;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Remembers who or what triggered each tick (from the scheduler's ticks), along {@link Inbound}'s path: whoever
 * triggered a tick may not approve its change. Idempotent: the first record of a tick wins.
 */
@ApplicationScoped
public class TickConsumer {

    /** Attempts at the database before a tick record is dead-lettered. */
    static final int STORE_ATTEMPTS = 4;

    private final ApprovalRepository store;
    private final Inbound inbound;

    public TickConsumer(ApprovalRepository store, DeadLetterProducer deadLetters) {
        this.store = store;
        Inbound.Outbox outbox = new Inbound.Outbox() {
            @Override
            public void publish(Event event) {
                throw new IllegalStateException("the gate publishes nothing for a tick: " + event.type());
            }

            @Override
            public void publish(DeadLetter letter) {
                deadLetters.send(letter);
            }
        };
        this.inbound = new Inbound(
                VerdictConsumer.SOURCE,
                outbox,
                Inbound.FailurePolicy.deadLetter(STORE_ATTEMPTS, Duration.ofMillis(500)));
    }

    @Incoming(GateChannels.TICKS)
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(Message<String> message) {
        return inbound.handle(message, EventType.TICK_TRIGGERED, this::record);
    }

    private Optional<Event> record(Event event) {
        TickTriggered.Trigger trigger = event.dataAs(TickTriggered.class).trigger();
        String kind = trigger == null || trigger.kind() == null ? "unknown" : trigger.kind();
        String by = trigger == null || trigger.by() == null ? "unknown" : trigger.by();
        store.recordTrigger(event.tickId(), kind, by, event.time());
        return Optional.empty();
    }
}
