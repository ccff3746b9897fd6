package dev.loopline.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.schemas.events.DeadLetter;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.events.EventType;
import dev.loopline.schemas.events.TickCompleted;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

class InboundTest {

    private static final Instant AT = Instant.parse("2026-12-06T12:00:00Z");

    private final RecordingOutbox outbox = new RecordingOutbox();
    private final List<Duration> pauses = new ArrayList<>();

    @Test
    void aValidEventIsHandledItsResultPublishedAndTheRecordAcknowledged() {
        Tracked message = Tracked.of(EventCodec.encode(completion("t-1", TickCompleted.Outcome.MERGED)));

        inbound(Inbound.FailurePolicy.deadLetter(3, Duration.ofSeconds(1)))
                .handle(
                        message.message,
                        EventType.TICK_COMPLETED,
                        e -> Optional.of(completion(e.tickId() + "-out", TickCompleted.Outcome.NO_OP)));

        assertThat(outbox.events).extracting(Event::tickId).containsExactly("t-1-out");
        assertThat(outbox.letters).isEmpty();
        assertThat(message.acked).isTrue();
        assertThat(message.nacked).isFalse();
    }

    @Test
    void aRecordThatIsNotAValidEventOfTheExpectedTypeIsDeadLetteredWithoutRunningTheHandler() {
        AtomicInteger calls = new AtomicInteger();
        Inbound inbound = inbound(Inbound.FailurePolicy.deadLetter(3, Duration.ofSeconds(1)));
        Tracked garbage = Tracked.of("{not json");
        Tracked wrongType = Tracked.of(EventCodec.encode(completion("t-2", TickCompleted.Outcome.MERGED)));

        inbound.handle(garbage.message, EventType.TICK_COMPLETED, e -> count(calls));
        inbound.handle(wrongType.message, EventType.CHANGE_VERIFIED, e -> count(calls));

        assertThat(calls).hasValue(0);
        assertThat(outbox.letters)
                .extracting(DeadLetter::payload)
                .containsExactly("{not json", wrongType.message.getPayload());
        assertThat(outbox.letters.get(1).reason()).contains("expected loopline.change.verified");
        assertThat(garbage.acked).isTrue();
        assertThat(wrongType.acked).isTrue();
    }

    @Test
    void aHandlerThatFailsOnceIsRetriedAfterTheBackoffAndItsResultPublished() {
        AtomicInteger calls = new AtomicInteger();
        Tracked message = Tracked.of(EventCodec.encode(completion("t-3", TickCompleted.Outcome.MERGED)));

        inbound(Inbound.FailurePolicy.deadLetter(3, Duration.ofMillis(500)))
                .handle(message.message, EventType.TICK_COMPLETED, e -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new IllegalStateException("mirror locked");
                    }
                    return Optional.of(completion("t-3-out", TickCompleted.Outcome.NO_OP));
                });

        assertThat(calls).hasValue(2);
        assertThat(pauses).containsExactly(Duration.ofMillis(500));
        assertThat(outbox.events).extracting(Event::tickId).containsExactly("t-3-out");
        assertThat(outbox.letters).isEmpty();
        assertThat(message.acked).isTrue();
    }

    @Test
    void afterTheLastAttemptTheEndingEventIsPublishedWithTheWholeReason() {
        AtomicInteger calls = new AtomicInteger();
        Tracked message = Tracked.of(EventCodec.encode(completion("t-4", TickCompleted.Outcome.MERGED)));
        Inbound inbound = inbound(Inbound.FailurePolicy.endTick(
                3,
                Duration.ofSeconds(1),
                (event, failure) -> completion(event.tickId(), TickCompleted.Outcome.ERROR, failure.getMessage())));

        inbound.handle(message.message, EventType.TICK_COMPLETED, e -> {
            calls.incrementAndGet();
            throw new IllegalStateException("cannot create worktree: No space left on device");
        });

        assertThat(calls).hasValue(3);
        assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(outbox.letters).isEmpty();
        TickCompleted ended = outbox.events.get(0).dataAs(TickCompleted.class);
        assertThat(ended.outcome()).isEqualTo(TickCompleted.Outcome.ERROR);
        assertThat(ended.reason())
                .isEqualTo("test-service could not handle loopline.tick.completed after 3 attempts:"
                        + " cannot create worktree: No space left on device");
        assertThat(message.acked).isTrue();
    }

    @Test
    void withoutAnEndingTheFailedRecordIsDeadLetteredWithTheReason() {
        Tracked message = Tracked.of(EventCodec.encode(completion("t-5", TickCompleted.Outcome.MERGED)));

        inbound(Inbound.FailurePolicy.deadLetter(1, Duration.ofSeconds(1)))
                .handle(message.message, EventType.TICK_COMPLETED, e -> {
                    throw new IllegalStateException();
                });

        assertThat(pauses).isEmpty();
        assertThat(outbox.events).isEmpty();
        assertThat(outbox.letters).singleElement().satisfies(letter -> {
            assertThat(letter.reason())
                    .isEqualTo("test-service could not handle loopline.tick.completed after 1 attempt:"
                            + " IllegalStateException");
            assertThat(letter.payload()).isEqualTo(message.message.getPayload());
        });
        assertThat(message.acked).isTrue();
    }

    @Test
    void anInterruptedBackoffGivesUpAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        Tracked message = Tracked.of(EventCodec.encode(completion("t-6", TickCompleted.Outcome.MERGED)));
        Inbound inbound = new Inbound(
                "test-service",
                outbox,
                Inbound.FailurePolicy.endTick(
                        5,
                        Duration.ofSeconds(1),
                        (event, failure) ->
                                completion(event.tickId(), TickCompleted.Outcome.ERROR, failure.getMessage())),
                Clock.fixed(AT, ZoneOffset.UTC),
                duration -> false);

        inbound.handle(message.message, EventType.TICK_COMPLETED, e -> {
            calls.incrementAndGet();
            throw new IllegalStateException("boom");
        });

        assertThat(calls).hasValue(1);
        assertThat(outbox.events.get(0).dataAs(TickCompleted.class).reason()).contains("after 1 attempt: boom");
    }

    @Test
    void aResultThatCannotBePublishedIsNackedSoTheRecordIsRedelivered() {
        outbox.failing = true;
        Tracked message = Tracked.of(EventCodec.encode(completion("t-7", TickCompleted.Outcome.MERGED)));

        inbound(Inbound.FailurePolicy.deadLetter(1, Duration.ZERO))
                .handle(message.message, EventType.TICK_COMPLETED, e -> Optional.of(e));

        assertThat(message.nacked).isTrue();
        assertThat(message.acked).isFalse();
    }

    @Test
    void aFailureOutsideTheEventIsWaitedOutBeyondTheAttemptsWithTheBackoffCapped() {
        AtomicInteger calls = new AtomicInteger();
        Tracked message = Tracked.of(EventCodec.encode(completion("t-8", TickCompleted.Outcome.MERGED)));
        Inbound.FailurePolicy policy = Inbound.FailurePolicy.deadLetter(2, Duration.ofSeconds(2))
                .waitingOut(e -> e.getMessage().startsWith("database away"));

        inbound(policy).handle(message.message, EventType.TICK_COMPLETED, e -> {
            if (calls.incrementAndGet() <= 6) {
                throw new IllegalStateException("database away");
            }
            return Optional.of(completion("t-8-out", TickCompleted.Outcome.NO_OP));
        });

        assertThat(calls).hasValue(7);
        assertThat(pauses)
                .containsExactly(
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(8),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(10));
        assertThat(outbox.letters).isEmpty();
        assertThat(outbox.events).extracting(Event::tickId).containsExactly("t-8-out");
        assertThat(message.acked).isTrue();
    }

    @Test
    void aFailureOfTheEventItselfStillCountsItsAttemptsWhenOthersAreWaitedOut() {
        Tracked message = Tracked.of(EventCodec.encode(completion("t-9", TickCompleted.Outcome.MERGED)));
        Inbound.FailurePolicy policy = Inbound.FailurePolicy.deadLetter(2, Duration.ofSeconds(1))
                .waitingOut(e -> e.getMessage().startsWith("database away"));

        inbound(policy).handle(message.message, EventType.TICK_COMPLETED, e -> {
            throw new IllegalStateException("duplicate key violates a constraint");
        });

        assertThat(pauses).containsExactly(Duration.ofSeconds(1));
        assertThat(outbox.letters).singleElement().satisfies(letter -> assertThat(letter.reason())
                .endsWith("after 2 attempts: duplicate key violates a constraint"));
        assertThat(message.acked).isTrue();
    }

    @Test
    void aServiceStoppingWhileWaitingOutLeavesTheRecordForRedelivery() {
        Tracked message = Tracked.of(EventCodec.encode(completion("t-10", TickCompleted.Outcome.MERGED)));
        Inbound inbound = new Inbound(
                "test-service",
                outbox,
                Inbound.FailurePolicy.deadLetter(3, Duration.ofSeconds(1)).waitingOut(e -> true),
                Clock.fixed(AT, ZoneOffset.UTC),
                duration -> false);

        inbound.handle(message.message, EventType.TICK_COMPLETED, e -> {
            throw new IllegalStateException("database away");
        });

        assertThat(outbox.letters).isEmpty();
        assertThat(outbox.events).isEmpty();
        assertThat(message.nacked).isTrue();
        assertThat(message.acked).isFalse();
    }

    private Inbound inbound(Inbound.FailurePolicy policy) {
        return new Inbound("test-service", outbox, policy, Clock.fixed(AT, ZoneOffset.UTC), duration -> {
            pauses.add(duration);
            return true;
        });
    }

    private static Optional<Event> count(AtomicInteger calls) {
        calls.incrementAndGet();
        return Optional.empty();
    }

    private static Event completion(String tickId, TickCompleted.Outcome outcome) {
        return completion(tickId, outcome, "done");
    }

    private static Event completion(String tickId, TickCompleted.Outcome outcome, String reason) {
        return Event.of(
                "test", AT, "docs", tickId, "platform", 1, new TickCompleted(outcome, 10, 1, reason, null, null));
    }

    /** An outbox that keeps what it was given, or fails like an unreachable broker. */
    private static final class RecordingOutbox implements Inbound.Outbox {
        final List<Event> events = new ArrayList<>();
        final List<DeadLetter> letters = new ArrayList<>();
        boolean failing;

        @Override
        public void publish(Event event) {
            if (failing) {
                throw new IllegalStateException("broker unreachable");
            }
            events.add(event);
        }

        @Override
        public void publish(DeadLetter letter) {
            if (failing) {
                throw new IllegalStateException("broker unreachable");
            }
            letters.add(letter);
        }
    }

    /** A message that records whether it was acknowledged or not. */
    private static final class Tracked {
        Message<String> message;
        boolean acked;
        boolean nacked;

        static Tracked of(String payload) {
            Tracked tracked = new Tracked();
            tracked.message = Message.of(payload)
                    .withAck(() -> {
                        tracked.acked = true;
                        return CompletableFuture.completedFuture(null);
                    })
                    .withNack(failure -> {
                        tracked.nacked = true;
                        return CompletableFuture.completedFuture(null);
                    });
            return tracked;
        }
    }
}
