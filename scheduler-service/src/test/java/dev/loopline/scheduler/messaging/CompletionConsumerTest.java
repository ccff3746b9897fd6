package dev.loopline.scheduler.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.core.spec.LoopSpecReader;
import dev.loopline.scheduler.repository.PostgresSchedulerStore;
import dev.loopline.scheduler.service.Admission;
import dev.loopline.scheduler.service.SchedulerBeans;
import dev.loopline.scheduler.service.SchedulerSettings;
import dev.loopline.scheduler.service.SchedulerStore;
import dev.loopline.scheduler.service.TestDatabase;
import dev.loopline.schemas.events.DeadLetter;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.testsupport.MutableClock;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A completion arriving while the database is briefly unreachable is retried, then dead-lettered. */
class CompletionConsumerTest {

    private static TestDatabase db;

    @TempDir
    Path specs;

    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicReference<String[]> failure =
            new AtomicReference<>(new String[] {"connection refused", "08001"});
    private final List<String> deadLettered = new ArrayList<>();
    private SchedulerBeans scheduler;
    private CompletionConsumer consumer;

    @BeforeAll
    static void database() {
        db = TestDatabase.named("scheduler_completion_test");
    }

    @AfterAll
    static void closeDatabase() {
        db.close();
    }

    @BeforeEach
    void setUp() throws IOException {
        db.truncate();
        Files.writeString(
                specs.resolve("docs.yaml"),
                "{id: docs, kind: report, level: L1, target: {repo: /srv/repo}, budget: {dailyTokens: 1000}}");
        PostgresSchedulerStore real = db.store();
        // the store fails the next failuresLeft calls to release a lease, as an unreachable database would
        SchedulerStore flaky = (SchedulerStore) Proxy.newProxyInstance(
                SchedulerStore.class.getClassLoader(), new Class<?>[] {SchedulerStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("release") && failuresLeft.getAndDecrement() > 0) {
                        throw new PostgresSchedulerStore.SchedulerStoreException(
                                new SQLException(failure.get()[0], failure.get()[1]));
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        scheduler = SchedulerBeans.wire(
                new LoopSpecReader(),
                new SchedulerSettings(specs, Duration.ofMinutes(15), Duration.ofSeconds(5)),
                new MutableClock(Instant.parse("2026-11-21T06:00:00Z")),
                new SplittableRandom(1),
                event -> {},
                flaky,
                Admission.ALLOW_ALL,
                "replica-a");
        scheduler.registry().reload();
        DeadLetterProducer deadLetters = new DeadLetterProducer(null, null) {
            @Override
            public void send(DeadLetter letter) {
                deadLettered.add(letter.reason());
            }
        };
        consumer = new CompletionConsumer(scheduler.completions(), deadLetters, Duration.ZERO);
    }

    private Message<String> completion(Event tick) {
        return Message.of(EventCodec.encode(Event.of(
                "agent-service",
                Instant.parse("2026-11-21T06:01:00Z"),
                "docs",
                tick.tickId(),
                "default",
                1,
                new TickCompleted(TickCompleted.Outcome.REPORTED, 10, 1, "done", null, null))));
    }

    @Test
    void aCompletionWaitsOutADatabaseThatStaysAwayAndThenFreesTheLoop() {
        Event tick = scheduler.triggers().triggerManually("docs", "alice");
        failure.set(new String[] {"connection refused", "08001"});
        failuresLeft.set(CompletionConsumer.STORE_ATTEMPTS * 5);

        consumer.consume(completion(tick)).toCompletableFuture().join();

        assertThat(failuresLeft.get()).isNegative();
        assertThat(deadLettered).isEmpty();
        assertThat(scheduler.status().loop("docs").orElseThrow().inFlightTickId())
                .isNull();
        assertThat(scheduler.status().loop("docs").orElseThrow().recentOutcomes())
                .containsExactly("reported");
    }

    @Test
    void aCompletionTheStoreRefusesForItsOwnSakeIsDeadLetteredWithTheReason() {
        Event tick = scheduler.triggers().triggerManually("docs", "alice");
        failure.set(new String[] {"value too long for type character varying(64)", "22001"});
        failuresLeft.set(CompletionConsumer.STORE_ATTEMPTS);

        consumer.consume(completion(tick)).toCompletableFuture().join();

        assertThat(deadLettered)
                .singleElement()
                .asString()
                .startsWith("scheduler-service could not handle loopline.tick.completed after 4 attempts:"
                        + " scheduler store: value too long");
        assertThat(scheduler.status().loop("docs").orElseThrow().inFlightTickId())
                .isEqualTo(tick.tickId());
    }
}
