package dev.loopline.support.messaging;

import dev.loopline.schemas.events.DeadLetter;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.events.EventType;
import dev.loopline.schemas.events.InvalidEventException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The one path of every record a service consumes from a tick topic: decode and validate, check the event type,
 * handle, publish the result, acknowledge.
 *
 * <ul>
 *   <li>A record that is not a valid event of the expected type cannot be tied to a tick's stage: it becomes a dead
 *       letter and is acknowledged, so it never blocks its partition.
 *   <li>A valid event whose handler throws is retried {@link FailurePolicy#attempts()} times with doubling backoff
 *       (a transient git or database failure); then the policy decides: the service's own event that ends the tick
 *       with the reason (so no tick stays open), or a dead letter where no such event exists.
 *   <li>A result that cannot be published (the broker is unreachable) is not acknowledged: the record is nacked and
 *       redelivered after the consumer restarts. Outputs carry deterministic ids, so handling it again is safe.
 * </ul>
 */
public final class Inbound {

    private static final Logger LOG = Logger.getLogger(Inbound.class);

    /** Where a service's results and dead letters go; both block until the broker has them. */
    public interface Outbox {

        void publish(Event event);

        void publish(DeadLetter letter);
    }

    /**
     * What happens when the handler of a valid event throws.
     *
     * @param attempts how often the handler runs in all (at least 1)
     * @param firstBackoff the pause after the first failure; it doubles after each further one
     * @param onGiveUp the event that ends the tick after the last failure (with the failure as its reason), or
     *     {@code null} to dead-letter the record instead
     * @param waitOut failures that are the infrastructure's, not the event's (the database is away): they are retried
     *     without limit, the backoff capped at {@link #MAX_WAIT_BACKOFF}, and never end the tick or dead-letter the
     *     record; the partition waits, as nothing behind the record could be handled either
     */
    public record FailurePolicy(
            int attempts,
            Duration firstBackoff,
            BiFunction<Event, RuntimeException, Event> onGiveUp,
            Predicate<RuntimeException> waitOut) {

        /** The longest pause between two tries of a failure that is waited out. */
        public static final Duration MAX_WAIT_BACKOFF = Duration.ofSeconds(10);

        public FailurePolicy {
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
            }
            Objects.requireNonNull(firstBackoff, "firstBackoff");
            waitOut = waitOut == null ? failure -> false : waitOut;
        }

        public FailurePolicy(int attempts, Duration firstBackoff, BiFunction<Event, RuntimeException, Event> onGiveUp) {
            this(attempts, firstBackoff, onGiveUp, null);
        }

        /** This policy, but failures {@code transientFailure} accepts are waited out instead of counted. */
        public FailurePolicy waitingOut(Predicate<RuntimeException> transientFailure) {
            return new FailurePolicy(attempts, firstBackoff, onGiveUp, Objects.requireNonNull(transientFailure));
        }

        /** Retry, then publish the event {@code ending} builds, which ends the tick. */
        public static FailurePolicy endTick(
                int attempts, Duration firstBackoff, BiFunction<Event, RuntimeException, Event> ending) {
            return new FailurePolicy(attempts, firstBackoff, Objects.requireNonNull(ending, "ending"));
        }

        /** Retry, then dead-letter: for consumers that have no event of their own to end a tick with. */
        public static FailurePolicy deadLetter(int attempts, Duration firstBackoff) {
            return new FailurePolicy(attempts, firstBackoff, null);
        }
    }

    /** Pauses between attempts; replaced in tests. */
    @FunctionalInterface
    public interface Pause {
        /** Returns false when interrupted: the remaining attempts are skipped. */
        boolean sleep(Duration duration);

        Pause THREAD = duration -> {
            try {
                Thread.sleep(duration.toMillis());
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };
    }

    private final String service;
    private final Outbox outbox;
    private final FailurePolicy policy;
    private final Clock clock;
    private final Pause pause;

    public Inbound(String service, Outbox outbox, FailurePolicy policy, Clock clock, Pause pause) {
        this.service = Objects.requireNonNull(service, "service");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pause = Objects.requireNonNull(pause, "pause");
    }

    public Inbound(String service, Outbox outbox, FailurePolicy policy) {
        this(service, outbox, policy, Clock.systemUTC(), Pause.THREAD);
    }

    /**
     * Handles one record: {@code handler} turns the decoded event into the service's output, if any.
     *
     * @return the acknowledgement, or a nack when publishing failed
     */
    public CompletionStage<Void> handle(
            Message<String> message, EventType expected, Function<Event, Optional<Event>> handler) {
        Event event;
        try {
            event = decode(message.getPayload(), expected);
        } catch (InvalidEventException e) {
            return deadLetter(message, e.getMessage());
        }
        Outcome outcome = run(event, handler);
        if (outcome.redeliver()) {
            return message.nack(
                    new IllegalStateException(service + " stopped while waiting to handle " + event.type()));
        }
        try {
            if (outcome.output().isPresent()) {
                outbox.publish(outcome.output().get());
            } else if (outcome.failure() != null) {
                outbox.publish(KafkaMessages.deadLetter(service, message, outcome.failure(), clock.instant()));
            }
        } catch (RuntimeException e) {
            LOG.errorf("%s: cannot publish the result of %s of tick %s: %s", service, event.type(), event.tickId(), e);
            return message.nack(e);
        }
        return message.ack();
    }

    /** The handler's output, or after its last failure the policy's ending (or a dead letter's reason). */
    private record Outcome(Optional<Event> output, String failure, boolean redeliver) {}

    private Outcome run(Event event, Function<Event, Optional<Event>> handler) {
        Duration backoff = policy.firstBackoff();
        Duration waitBackoff = policy.firstBackoff();
        int attempt = 1;
        while (true) {
            try {
                return new Outcome(handler.apply(event), null, false);
            } catch (RuntimeException e) {
                if (policy.waitOut().test(e)) {
                    LOG.warnf(
                            "%s: handling %s of tick %s failed for a reason outside the event; trying again in %s: %s",
                            service, event.type(), event.tickId(), waitBackoff, e);
                    if (!waitBackoff.isZero() && !pause.sleep(waitBackoff)) {
                        // shutting down: leave the record unacknowledged, the next consumer gets it again
                        return new Outcome(Optional.empty(), null, true);
                    }
                    waitBackoff = min(waitBackoff.multipliedBy(2), FailurePolicy.MAX_WAIT_BACKOFF);
                    continue;
                }
                boolean last = attempt >= policy.attempts();
                if (last || !retryAfter(event, attempt, backoff, e)) {
                    return giveUp(event, attempt, e);
                }
                backoff = backoff.multipliedBy(2);
                attempt++;
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private boolean retryAfter(Event event, int attempt, Duration backoff, RuntimeException e) {
        LOG.warnf(
                "%s: handling %s of tick %s failed (attempt %d of %d), retrying in %s: %s",
                service, event.type(), event.tickId(), attempt, policy.attempts(), backoff, e);
        return backoff.isZero() || pause.sleep(backoff);
    }

    private Outcome giveUp(Event event, int attempts, RuntimeException e) {
        String reason = service + " could not handle " + event.type() + " after " + attempts
                + (attempts == 1 ? " attempt: " : " attempts: ") + describe(e);
        LOG.errorf(e, "%s: tick %s: %s", service, event.tickId(), reason);
        if (policy.onGiveUp() == null) {
            return new Outcome(Optional.empty(), reason, false);
        }
        try {
            return new Outcome(Optional.of(policy.onGiveUp().apply(event, new HandlingFailed(reason, e))), null, false);
        } catch (RuntimeException ending) {
            LOG.errorf(ending, "%s: cannot build the event that ends tick %s", service, event.tickId());
            return new Outcome(Optional.empty(), reason + "; and ending the tick failed: " + describe(ending), false);
        }
    }

    private CompletionStage<Void> deadLetter(Message<String> message, String reason) {
        DeadLetter letter = KafkaMessages.deadLetter(service, message, reason, clock.instant());
        LOG.warnf(
                "%s: dead letter from %s[%d]@%d: %s",
                service, letter.topic(), letter.partition(), letter.offset(), reason);
        try {
            outbox.publish(letter);
        } catch (RuntimeException e) {
            return message.nack(e);
        }
        return message.ack();
    }

    static Event decode(String payload, EventType expected) throws InvalidEventException {
        Event event = EventCodec.decode(payload);
        if (event.eventType() != expected) {
            throw new InvalidEventException("expected " + expected.wireName() + " but got " + event.type(), List.of());
        }
        return event;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /**
     * The failure handed to the policy's ending: its message is the whole reason (service, event, attempts, cause),
     * ready to put on the event that ends the tick.
     */
    public static final class HandlingFailed extends RuntimeException {

        HandlingFailed(String reason, RuntimeException cause) {
            super(reason, cause);
        }
    }
}
