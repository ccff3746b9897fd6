package dev.loopline.scheduler.messaging;

import dev.loopline.scheduler.repository.PostgresSchedulerStore;
import dev.loopline.scheduler.service.SchedulerService;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.events.EventType;
import dev.loopline.schemas.events.InvalidEventException;
import dev.loopline.schemas.events.TickCompleted;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Frees a loop when its tick completes: releases the tick's lease and records its outcome in Postgres.
 * Idempotent: completing a tick that is no longer in flight (a redelivery, or a tick whose lease expired)
 * changes nothing. A database that is briefly unreachable is retried a few times with backoff before the
 * completion is dead-lettered (with its payload, so it can be replayed); the partition is never blocked for
 * long.
 */
@ApplicationScoped
public class CompletionConsumer {

    private static final Logger LOG = Logger.getLogger(CompletionConsumer.class);

    /** Attempts at the store before a completion is dead-lettered. */
    static final int STORE_ATTEMPTS = 4;

    private final SchedulerService scheduler;
    private final DeadLetterProducer deadLetters;
    private final Duration firstBackoff;

    @Inject
    public CompletionConsumer(SchedulerService scheduler, DeadLetterProducer deadLetters) {
        this(scheduler, deadLetters, Duration.ofMillis(500));
    }

    /** {@code firstBackoff} doubles after each failed attempt at the store. */
    CompletionConsumer(SchedulerService scheduler, DeadLetterProducer deadLetters, Duration firstBackoff) {
        this.scheduler = scheduler;
        this.deadLetters = deadLetters;
        this.firstBackoff = firstBackoff;
    }

    @Incoming(SchedulerChannels.COMPLETIONS)
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(Message<String> message) {
        try {
            Event event = EventCodec.decode(message.getPayload());
            if (event.eventType() != EventType.TICK_COMPLETED) {
                deadLetters.send(message, "expected " + EventType.TICK_COMPLETED.wireName() + ", got " + event.type());
            } else {
                complete(event, message);
            }
        } catch (InvalidEventException e) {
            deadLetters.send(message, e.getMessage());
        } catch (RuntimeException e) {
            deadLetters.send(message, "cannot handle completion: " + e);
        }
        return message.ack();
    }

    private void complete(Event event, Message<String> message) {
        TickCompleted.Outcome outcome = event.dataAs(TickCompleted.class).outcome();
        Duration backoff = firstBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                scheduler.completed(event.loopId(), event.tickId(), outcome);
                return;
            } catch (PostgresSchedulerStore.SchedulerStoreException e) {
                if (attempt == STORE_ATTEMPTS) {
                    deadLetters.send(
                            message, "scheduler store unavailable after " + attempt + " attempts: " + e.getMessage());
                    return;
                }
                LOG.warnf(
                        "completion of tick %s: store unavailable (attempt %d of %d), retrying in %s: %s",
                        event.tickId(), attempt, STORE_ATTEMPTS, backoff, e.getMessage());
                if (!pause(backoff)) {
                    deadLetters.send(message, "interrupted while the scheduler store was unavailable");
                    return;
                }
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    private static boolean pause(Duration backoff) {
        if (backoff.isZero()) {
            return true;
        }
        try {
            Thread.sleep(backoff.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
