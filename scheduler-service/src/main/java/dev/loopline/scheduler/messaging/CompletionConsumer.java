package dev.loopline.scheduler.messaging;

import dev.loopline.scheduler.service.CompletionService;
import dev.loopline.schemas.events.DeadLetter;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventType;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.support.messaging.Inbound;
import dev.loopline.support.store.SqlFailures;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Frees a loop when its tick completes: releases the tick's lease and records its outcome in Postgres, along
 * {@link Inbound}'s path. Idempotent: completing a tick that is no longer in flight (a redelivery, a second completion
 * after the deadline sweep's, or a tick whose lease expired) changes nothing. A database that is unreachable (a
 * transient SQL failure) is waited out, however long it stays away: a completion dropped then would leave its loop's
 * lease held and its outcome uncounted, and no later completion could be stored either. Any other failure is retried a
 * few times with backoff, then the completion is dead-lettered with its payload, so it can be replayed.
 */
@ApplicationScoped
public class CompletionConsumer {

    /** Attempts at the store before a completion is dead-lettered. */
    static final int STORE_ATTEMPTS = 4;

    private final CompletionService completions;
    private final Inbound inbound;

    @Inject
    public CompletionConsumer(CompletionService completions, DeadLetterProducer deadLetters) {
        this(completions, deadLetters, Duration.ofMillis(500));
    }

    /** {@code firstBackoff} doubles after each failed attempt at the store. */
    CompletionConsumer(CompletionService completions, DeadLetterProducer deadLetters, Duration firstBackoff) {
        this.completions = completions;
        Inbound.Outbox outbox = new Inbound.Outbox() {
            @Override
            public void publish(Event event) {
                throw new IllegalStateException("the scheduler publishes nothing for a completion: " + event.type());
            }

            @Override
            public void publish(DeadLetter letter) {
                deadLetters.send(letter);
            }
        };
        this.inbound = new Inbound(
                DeadLetterProducer.SERVICE,
                outbox,
                Inbound.FailurePolicy.deadLetter(STORE_ATTEMPTS, firstBackoff).waitingOut(SqlFailures::isTransient));
    }

    @Incoming(SchedulerChannels.COMPLETIONS)
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(Message<String> message) {
        return inbound.handle(message, EventType.TICK_COMPLETED, this::complete);
    }

    private Optional<Event> complete(Event event) {
        completions.completed(
                event.loopId(),
                event.tickId(),
                event.dataAs(TickCompleted.class).outcome());
        return Optional.empty();
    }
}
