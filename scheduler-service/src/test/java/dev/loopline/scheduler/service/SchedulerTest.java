package dev.loopline.scheduler.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.loopline.core.spec.LoopSpecReader;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.events.TickCompleted.Outcome;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.schemas.http.LoopStatus;
import dev.loopline.testsupport.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler's beans together, as one replica runs them, against a real Postgres. */
class SchedulerTest {

    private static final Instant START = Instant.parse("2026-11-21T06:00:00Z");

    @TempDir
    Path specs;

    private final MutableClock clock = new MutableClock(START);
    private final List<Event> published = new ArrayList<>();
    private SchedulerBeans scheduler;
    private boolean brokerDown;
    private Admission admission = Admission.ALLOW_ALL;

    private static TestDatabase db;
    private static SchedulerStore store;

    @BeforeAll
    static void database() {
        db = TestDatabase.named("scheduler_service_test");
        store = db.store();
    }

    @AfterAll
    static void closeDatabase() {
        db.close();
    }

    @AfterEach
    void stopScheduler() {
        scheduler.close();
    }

    @BeforeEach
    void setUp() {
        db.truncate();
        scheduler = scheduler(LevelEnforcement.CAP, event -> {
            if (brokerDown) {
                throw new IllegalStateException("broker unavailable");
            }
            published.add(event);
        });
    }

    private void spec(String file, String yaml) throws IOException {
        Files.writeString(specs.resolve(file), yaml);
    }

    /** A loop whose spec is structurally ready for L2 (budget cap, assisted-fix, maker, test command). */
    private void loop(String id, String level, String cadence, boolean paused) throws IOException {
        spec(
                id + ".yaml",
                "{id: " + id + ", team: platform, kind: assisted-fix, level: " + level + ", cadence: " + cadence
                        + ", paused: " + paused + ", target: {repo: /srv/repo}, test: {command: ./test.sh},"
                        + " maker: {type: mock}, budget: {dailyTokens: 100000}}");
    }

    private SchedulerBeans scheduler(LevelEnforcement enforcement) {
        return scheduler(enforcement, published::add);
    }

    private SchedulerBeans scheduler(LevelEnforcement enforcement, TickPublisher publisher) {
        return SchedulerBeans.wire(
                new LoopSpecReader(),
                new SchedulerSettings(specs, Duration.ofMinutes(15), Duration.ofSeconds(5), enforcement),
                clock,
                new SplittableRandom(42),
                publisher,
                store,
                (loopId, team) -> admission.check(loopId, team),
                "replica-a");
    }

    private static TriggerRefusedException.Reason refusal(Throwable e) {
        return ((TriggerRefusedException) e).reason();
    }

    @Test
    void aNewLoopFirstRunsWithinTheFirstRunJitterThenOnItsCadence() throws Exception {
        loop("docs", "L1", "30s", false);
        scheduler.registry().reload();

        clock.advance(Duration.ofSeconds(5));
        List<Event> first = scheduler.dueCheck().runDue();

        assertThat(first).singleElement().satisfies(e -> {
            assertThat(e.loopId()).isEqualTo("docs");
            assertThat(e.team()).isEqualTo("platform");
            assertThat(e.attempt()).isZero();
            assertThat(e.tickId()).matches("20261121T060005Z-[0-9a-f]{8}");
            TickTriggered t = e.dataAs(TickTriggered.class);
            assertThat(t.trigger().kind()).isEqualTo("cadence");
            assertThat(t.specHash()).hasSize(64);
            assertThat(t.spec().id()).isEqualTo("docs");
        });
        // the event is valid against the schemas, tick id pattern included
        assertThat(EventCodec.decode(EventCodec.encode(first.get(0))).tickId())
                .isEqualTo(first.get(0).tickId());
        assertThat(scheduler.status().loop("docs").orElseThrow().nextRunAt()).isEqualTo(START.plusSeconds(35));

        scheduler.completions().completed("docs", first.get(0).tickId());
        clock.advance(Duration.ofSeconds(29));
        assertThat(scheduler.dueCheck().runDue()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(scheduler.dueCheck().runDue()).hasSize(1);
    }

    @Test
    void pausedAndL0LoopsNeverRunOnCadence() throws IOException {
        loop("paused-loop", "L2", "30s", true);
        loop("plan-only", "L0", "30s", false);
        scheduler.registry().reload();

        clock.advance(Duration.ofHours(2));

        assertThat(scheduler.dueCheck().runDue()).isEmpty();
        assertThat(scheduler.status().loops()).extracting(LoopStatus::nextRunAt).containsOnlyNulls();
    }

    @Test
    void aLoopWithATickInFlightIsNotTriggeredAgainUntilItCompletesOrTimesOut() throws IOException {
        loop("docs", "L1", "30s", false);
        scheduler.registry().reload();
        clock.advance(Duration.ofSeconds(5));
        Event first = scheduler.dueCheck().runDue().get(0);

        clock.advance(Duration.ofMinutes(1));
        assertThat(scheduler.dueCheck().runDue()).isEmpty();
        assertThat(scheduler.status().loop("docs").orElseThrow().inFlightTickId())
                .isEqualTo(first.tickId());
        assertThatThrownBy(() -> scheduler.triggers().triggerManually("docs", "alice"))
                .isInstanceOf(TriggerRefusedException.class)
                .extracting(e -> ((TriggerRefusedException) e).reason())
                .isEqualTo(TriggerRefusedException.Reason.TICK_IN_FLIGHT);

        clock.advance(Duration.ofMinutes(15));
        assertThat(scheduler.dueCheck().runDue())
                .singleElement()
                .extracting(Event::tickId)
                .isNotEqualTo(first.tickId());
    }

    @Test
    void aCompletedTickFreesTheLoopAndStaleCompletionsAreIgnored() throws IOException {
        loop("docs", "L1", "1h", false);
        scheduler.registry().reload();
        Event manual = scheduler.triggers().triggerManually("docs", "alice");

        scheduler.completions().completed("docs", "20200101T000000Z-00000000");
        assertThat(scheduler.status().loop("docs").orElseThrow().inFlightTickId())
                .isEqualTo(manual.tickId());

        scheduler.completions().completed("docs", manual.tickId());
        assertThat(scheduler.status().loop("docs").orElseThrow().inFlightTickId())
                .isNull();
        assertThat(manual.dataAs(TickTriggered.class).trigger().by()).isEqualTo("alice");
        assertThat(manual.dataAs(TickTriggered.class).trigger().kind()).isEqualTo("manual");
    }

    @Test
    void aRangeCadenceRunsAtARandomPointOfTheRange() throws IOException {
        loop("ranged", "L1", "5m-15m", false);
        scheduler.registry().reload();
        clock.advance(Duration.ofSeconds(5));
        Event first = scheduler.dueCheck().runDue().get(0);
        scheduler.completions().completed("ranged", first.tickId());

        Instant next = scheduler.status().loop("ranged").orElseThrow().nextRunAt();

        assertThat(next)
                .isBetween(
                        clock.instant().plus(Duration.ofMinutes(5)),
                        clock.instant().plus(Duration.ofMinutes(15)));
    }

    @Test
    void anInvalidSpecIsListedWithItsProblemsAndNeverTriggered() throws IOException {
        loop("good", "L1", "30s", false);
        spec("bad.yaml", "{id: bad, kind: report, level: L7, target: {repo: /srv/repo}}");
        spec("zero.yaml", "{id: zero, kind: report, level: L1, cadence: 0s, target: {repo: /srv/repo}}");
        scheduler.registry().reload();

        assertThat(scheduler.status().loops())
                .extracting(LoopStatus::id, LoopStatus::valid)
                .containsExactly(tuple("good", true), tuple("bad", false), tuple("zero", false));
        LoopStatus bad = scheduler.status().loop("bad").orElseThrow();
        assertThat(bad.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(specs.resolve("bad.yaml").toString());
            assertThat(p.field()).isEqualTo("$.level");
        });
        assertThat(scheduler.status().loop("zero").orElseThrow().problems())
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.field()).isEqualTo("$.cadence");
                    assertThat(p.message()).contains("must be positive");
                });
        assertThatThrownBy(() -> scheduler.triggers().triggerManually("bad", null))
                .extracting(e -> ((TriggerRefusedException) e).reason())
                .isEqualTo(TriggerRefusedException.Reason.INVALID_SPEC);

        clock.advance(Duration.ofMinutes(1));
        assertThat(scheduler.dueCheck().runDue()).extracting(Event::loopId).containsExactly("good");
    }

    @Test
    void aChangedSpecIsTriggeredWithItsNewHash() throws IOException {
        loop("docs", "L1", "30s", false);
        scheduler.registry().reload();
        String oldHash = scheduler.status().loop("docs").orElseThrow().specHash();

        loop("docs", "L2", "30s", false);
        scheduler.registry().reload();
        clock.advance(Duration.ofSeconds(5));

        TickTriggered triggered = scheduler.dueCheck().runDue().get(0).dataAs(TickTriggered.class);
        assertThat(triggered.specHash()).isNotEqualTo(oldHash).isEqualTo(LoopSpecReader.hash(triggered.spec()));
        assertThat(triggered.spec().level()).hasToString("L2");
    }

    @Test
    void aFailedPublishReleasesTheLoopSoTheNextCheckRetries() throws IOException {
        loop("docs", "L1", "30s", false);
        scheduler.registry().reload();
        clock.advance(Duration.ofSeconds(5));

        brokerDown = true;
        assertThat(scheduler.dueCheck().runDue()).isEmpty();
        assertThat(scheduler.status().loop("docs").orElseThrow().inFlightTickId())
                .isNull();
        assertThatThrownBy(() -> scheduler.triggers().triggerManually("docs", null))
                .extracting(e -> ((TriggerRefusedException) e).reason())
                .isEqualTo(TriggerRefusedException.Reason.PUBLISH_FAILED);

        brokerDown = false;
        assertThat(scheduler.dueCheck().runDue()).hasSize(1);
        assertThat(published).hasSize(1);
    }

    @Test
    void unknownLoopIsRefused() {
        scheduler.registry().reload();

        assertThatThrownBy(() -> scheduler.triggers().triggerManually("nope", null))
                .extracting(e -> ((TriggerRefusedException) e).reason())
                .isEqualTo(TriggerRefusedException.Reason.UNKNOWN_LOOP);
    }

    @Test
    void aLoopNotReadyForItsDeclaredLevelRunsCappedAndItsTickCarriesTheCappedSpec() throws Exception {
        // a report loop with a budget cap is ready for L1 only: it cannot propose without kind/maker/test
        spec(
                "capped.yaml",
                "{id: capped, kind: report, level: L3, cadence: 30s, target: {repo: /srv/repo},"
                        + " budget: {dailyTokens: 100000}}");
        scheduler.registry().reload();

        LoopStatus status = scheduler.status().loop("capped").orElseThrow();
        assertThat(status.level()).hasToString("L3");
        assertThat(status.declaredLevel()).hasToString("L3");
        assertThat(status.effectiveLevel()).hasToString("L1");
        assertThat(status.runnable()).isTrue();
        assertThat(status.levelReason())
                .startsWith("not ready for L3 (ready for L1): kind: set kind: assisted-fix")
                .contains("verifier: set test.command", "maker: add maker.type", "allowlist: add allowlist.allow")
                .endsWith("; runs at L1");

        clock.advance(Duration.ofSeconds(5));
        Event tick = scheduler.dueCheck().runDue().get(0);
        TickTriggered data = tick.dataAs(TickTriggered.class);
        assertThat(data.spec().level()).hasToString("L1");
        assertThat(data.specHash()).isEqualTo(LoopSpecReader.hash(data.spec())).isNotEqualTo(status.specHash());
        assertThat(EventCodec.decode(EventCodec.encode(tick))
                        .dataAs(TickTriggered.class)
                        .spec()
                        .level())
                .hasToString("L1");
    }

    @Test
    void aReadyLoopRunsAtItsDeclaredLevelWithItsFileHash() throws IOException {
        loop("docs", "L2", "30s", false);
        scheduler.registry().reload();

        LoopStatus status = scheduler.status().loop("docs").orElseThrow();
        assertThat(status.effectiveLevel()).isEqualTo(status.declaredLevel()).hasToString("L2");
        assertThat(status.levelReason()).isNull();

        Event tick = scheduler.triggers().triggerManually("docs", "alice");
        assertThat(tick.dataAs(TickTriggered.class).specHash()).isEqualTo(status.specHash());
    }

    @Test
    void refuseModeListsALoopNotReadyForItsLevelAsNotRunnable() throws IOException {
        scheduler = scheduler(LevelEnforcement.REFUSE);
        spec(
                "eager.yaml",
                "{id: eager, kind: report, level: L2, cadence: 30s, target: {repo: /srv/repo},"
                        + " budget: {tokensPerRun: 5000}}");
        loop("ready", "L2", "30s", false);
        scheduler.registry().reload();

        LoopStatus eager = scheduler.status().loop("eager").orElseThrow();
        assertThat(eager.runnable()).isFalse();
        assertThat(eager.effectiveLevel()).isNull();
        assertThat(eager.declaredLevel()).hasToString("L2");
        assertThat(eager.nextRunAt()).isNull();
        assertThat(eager.levelReason())
                .startsWith("not ready for L2 (ready for L1): ")
                .endsWith("not runnable (level-enforcement=refuse)");
        assertThatThrownBy(() -> scheduler.triggers().triggerManually("eager", "alice"))
                .extracting(SchedulerTest::refusal)
                .isEqualTo(TriggerRefusedException.Reason.LEVEL_NOT_READY);

        clock.advance(Duration.ofMinutes(5));
        assertThat(scheduler.dueCheck().runDue()).extracting(Event::loopId).containsExactly("ready");
    }

    @Test
    void aLoopWithoutABudgetCapIsCappedToL0AndOnlyPlans() throws IOException {
        spec("uncapped.yaml", "{id: uncapped, kind: report, level: L1, cadence: 30s, target: {repo: /srv/repo}}");
        scheduler.registry().reload();

        LoopStatus status = scheduler.status().loop("uncapped").orElseThrow();
        assertThat(status.effectiveLevel()).hasToString("L0");
        assertThat(status.levelReason()).contains("budget-cap: set budget.dailyTokens");
        assertThat(status.nextRunAt()).isNull();
        clock.advance(Duration.ofHours(1));
        assertThat(scheduler.dueCheck().runDue()).isEmpty();
        assertThatThrownBy(() -> scheduler.triggers().triggerManually("uncapped", "alice"))
                .isInstanceOf(TriggerRefusedException.class)
                .hasMessageContaining("runs at L0")
                .extracting(SchedulerTest::refusal)
                .isEqualTo(TriggerRefusedException.Reason.PLAN_ONLY);
    }

    @Test
    void aManualTriggerOfADeclaredL0LoopIsRefusedAsPlanOnly() throws IOException {
        loop("plan-only", "L0", "30s", false);
        scheduler.registry().reload();

        assertThatThrownBy(() -> scheduler.triggers().triggerManually("plan-only", "alice"))
                .extracting(SchedulerTest::refusal)
                .isEqualTo(TriggerRefusedException.Reason.PLAN_ONLY);
        assertThat(published).isEmpty();
    }

    @Test
    void aPausedLoopIsNotTriggeredOnCadenceAndRefusesManualTriggersUntilResumed() throws IOException {
        loop("docs", "L2", "30s", false);
        scheduler.registry().reload();

        LoopStatus paused = scheduler.operator().pause("docs", "alice", "release freeze");
        assertThat(paused.paused()).isTrue();
        assertThat(paused.pause()).isEqualTo(new LoopStatus.Pause("alice", "release freeze", START));
        assertThat(paused.nextRunAt()).isNull();
        // a second pause keeps the first one's who, why and since
        clock.advance(Duration.ofMinutes(1));
        assertThat(scheduler.operator().pause("docs", "bob", "other").pause().by())
                .isEqualTo("alice");

        clock.advance(Duration.ofHours(1));
        scheduler.registry().reload();
        assertThat(scheduler.dueCheck().runDue()).isEmpty();
        assertThatThrownBy(() -> scheduler.triggers().triggerManually("docs", "carol"))
                .hasMessage("loop docs is paused: release freeze; resume it first")
                .extracting(SchedulerTest::refusal)
                .isEqualTo(TriggerRefusedException.Reason.PAUSED);

        LoopStatus resumed = scheduler.operator().resume("docs", "alice");
        assertThat(resumed.paused()).isFalse();
        assertThat(resumed.pause()).isNull();
        assertThat(resumed.nextRunAt())
                .isBetween(clock.instant(), clock.instant().plusSeconds(5));
        clock.advance(Duration.ofSeconds(5));
        assertThat(scheduler.dueCheck().runDue()).extracting(Event::loopId).containsExactly("docs");
    }

    @Test
    void aLoopPausedByItsSpecFileCannotBeResumedOrTriggeredByHand() throws IOException {
        loop("frozen", "L2", "30s", true);
        scheduler.registry().reload();

        LoopStatus status = scheduler.status().loop("frozen").orElseThrow();
        assertThat(status.paused()).isTrue();
        assertThat(status.pause().by()).isEqualTo("spec");
        assertThat(status.pause().reason()).isEqualTo("paused: true in " + specs.resolve("frozen.yaml"));
        assertThatThrownBy(() -> scheduler.triggers().triggerManually("frozen", "alice"))
                .extracting(SchedulerTest::refusal)
                .isEqualTo(TriggerRefusedException.Reason.PAUSED);
        assertThatThrownBy(() -> scheduler.operator().resume("frozen", "alice"))
                .hasMessageEndingWith("set paused: false there")
                .extracting(SchedulerTest::refusal)
                .isEqualTo(TriggerRefusedException.Reason.PAUSED);
    }

    @Test
    void pausingOrResumingAnUnknownLoopIsRefused() {
        scheduler.registry().reload();

        assertThatThrownBy(() -> scheduler.operator().pause("nope", "alice", null))
                .extracting(SchedulerTest::refusal)
                .isEqualTo(TriggerRefusedException.Reason.UNKNOWN_LOOP);
        assertThatThrownBy(() -> scheduler.operator().resume("nope", "alice"))
                .extracting(SchedulerTest::refusal)
                .isEqualTo(TriggerRefusedException.Reason.UNKNOWN_LOOP);
    }

    /** Triggers the loop by hand and completes the tick with each outcome in turn. */
    private void ticks(String loopId, Outcome... outcomes) {
        for (Outcome outcome : outcomes) {
            Event tick = scheduler.triggers().triggerManually(loopId, "test");
            clock.advance(Duration.ofMinutes(1));
            scheduler.completions().completed(loopId, tick.tickId(), outcome);
        }
    }

    @Test
    void threeIdenticalFailuresInARowHaltTheLoopUntilAnOperatorResumesIt() throws IOException {
        loop("docs", "L2", "1h", false);
        scheduler.registry().reload();

        ticks("docs", Outcome.PROPOSED, Outcome.ERROR, Outcome.ERROR);
        assertThat(scheduler.status().loop("docs").orElseThrow().halted()).isNull();
        ticks("docs", Outcome.ERROR);
        Instant haltedAt = clock.instant();

        LoopStatus halted = scheduler.status().loop("docs").orElseThrow();
        assertThat(halted.halted())
                .isEqualTo(new LoopStatus.Halt("stall", "the last 3 ticks all ended error", haltedAt));
        assertThat(halted.recentOutcomes()).containsExactly("proposed", "error", "error", "error");
        assertThat(halted.nextRunAt()).isNull();
        clock.advance(Duration.ofDays(1));
        assertThat(scheduler.dueCheck().runDue()).isEmpty();
        assertThatThrownBy(() -> scheduler.triggers().triggerManually("docs", "alice"))
                .hasMessageStartingWith("loop docs is halted (stall: the last 3 ticks all ended error)")
                .extracting(SchedulerTest::refusal)
                .isEqualTo(TriggerRefusedException.Reason.HALTED);

        LoopStatus resumed = scheduler.operator().resume("docs", "alice");
        assertThat(resumed.halted()).isNull();
        assertThat(resumed.recentOutcomes()).isEmpty();
        assertThat(resumed.nextRunAt()).isNotNull();
        // a fresh window: one more error does not halt again
        ticks("docs", Outcome.ERROR);
        assertThat(scheduler.status().loop("docs").orElseThrow().halted()).isNull();
    }

    @Test
    void alternatingBetweenProposingAndFailingHaltsTheLoop() throws IOException {
        loop("docs", "L2", "1h", false);
        scheduler.registry().reload();

        ticks("docs", Outcome.MERGED, Outcome.REJECTED, Outcome.PROPOSED, Outcome.ESCALATED);

        LoopStatus.Halt halt = scheduler.status().loop("docs").orElseThrow().halted();
        assertThat(halt.kind()).isEqualTo("oscillation");
        assertThat(halt.detail()).endsWith("merged, rejected, proposed, escalated");
    }

    @Test
    void healthyAlternationNeverHalts() throws IOException {
        loop("docs", "L2", "1h", false);
        loop("report", "L1", "1h", false);
        scheduler.registry().reload();

        ticks("docs", Outcome.MERGED, Outcome.NO_OP, Outcome.MERGED, Outcome.NO_OP, Outcome.MERGED, Outcome.NO_OP);
        ticks("report", Outcome.REPORTED, Outcome.NO_OP, Outcome.REPORTED, Outcome.NO_OP, Outcome.REPORTED);

        assertThat(scheduler.status().loops()).extracting(LoopStatus::halted).containsOnlyNulls();
        assertThat(scheduler.status().loop("docs").orElseThrow().recentOutcomes())
                .containsExactly("merged", "no-op", "merged", "no-op");
    }

    @Test
    void aRedeliveredCompletionCountsOnce() throws IOException {
        loop("docs", "L2", "1h", false);
        scheduler.registry().reload();
        Event tick = scheduler.triggers().triggerManually("docs", "alice");

        for (int i = 0; i < 3; i++) {
            scheduler.completions().completed("docs", tick.tickId(), Outcome.ERROR);
        }

        LoopStatus status = scheduler.status().loop("docs").orElseThrow();
        assertThat(status.recentOutcomes()).containsExactly("error");
        assertThat(status.halted()).isNull();
    }

    @Test
    void aWindowTooSmallToSeeAnOscillationIsRejected() {
        assertThatThrownBy(() -> new SchedulerSettings(
                        specs, Duration.ofMinutes(15), Duration.ofSeconds(5), LevelEnforcement.CAP, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("loopline.scheduler.anomaly.window must be at least 4 to see both anomalies, got 3");
    }

    // ---------------------------------------------------------------------------------- state in Postgres

    /** A new scheduler over the same database and spec directory, as after a restart (or another replica). */
    private SchedulerBeans restarted(String replicaId) {
        SchedulerBeans next = SchedulerBeans.wire(
                new LoopSpecReader(),
                new SchedulerSettings(specs, Duration.ofMinutes(15), Duration.ofSeconds(5)),
                clock,
                new SplittableRandom(7),
                published::add,
                db.store(),
                Admission.ALLOW_ALL,
                replicaId);
        next.registry().reload();
        return next;
    }

    @Test
    void pausesAndHaltsSurviveARestartUntilResumedOnTheNewInstance() throws IOException {
        loop("frozen", "L2", "30s", false);
        loop("stalled", "L2", "1h", false);
        scheduler.registry().reload();
        scheduler.operator().pause("frozen", "alice", "release freeze");
        ticks("stalled", Outcome.ERROR, Outcome.ERROR, Outcome.ERROR);
        Instant haltedAt = clock.instant();

        SchedulerBeans after = restarted("replica-restarted");
        clock.advance(Duration.ofHours(2));

        assertThat(after.status().loop("frozen").orElseThrow().pause())
                .isEqualTo(new LoopStatus.Pause("alice", "release freeze", START));
        assertThat(after.status().loop("stalled").orElseThrow().halted())
                .isEqualTo(new LoopStatus.Halt("stall", "the last 3 ticks all ended error", haltedAt));
        assertThat(after.status().loop("stalled").orElseThrow().recentOutcomes())
                .containsExactly("error", "error", "error");
        assertThat(after.dueCheck().runDue()).isEmpty();
        assertThatThrownBy(() -> after.triggers().triggerManually("frozen", "bob"))
                .extracting(SchedulerTest::refusal)
                .isEqualTo(TriggerRefusedException.Reason.PAUSED);
        assertThatThrownBy(() -> after.triggers().triggerManually("stalled", "bob"))
                .extracting(SchedulerTest::refusal)
                .isEqualTo(TriggerRefusedException.Reason.HALTED);

        after.operator().resume("frozen", "alice");
        after.operator().resume("stalled", "alice");
        assertThat(scheduler.status().loop("frozen").orElseThrow().paused()).isFalse();
        assertThat(scheduler.status().loop("stalled").orElseThrow().halted()).isNull();
        assertThat(scheduler.status().loop("stalled").orElseThrow().recentOutcomes())
                .isEmpty();
        assertThat(scheduler.triggers().triggerManually("stalled", "bob").loopId())
                .isEqualTo("stalled");
    }

    @Test
    void aTickInFlightOnOneReplicaBlocksTheOtherUntilItsCompletionArrivesOnEither() throws IOException {
        loop("docs", "L2", "1h", false);
        scheduler.registry().reload();
        SchedulerBeans other = restarted("replica-b");

        Event tick = scheduler.triggers().triggerManually("docs", "alice");

        assertThatThrownBy(() -> other.triggers().triggerManually("docs", "bob"))
                .hasMessageContaining("has tick " + tick.tickId() + " in flight since " + START)
                .extracting(SchedulerTest::refusal)
                .isEqualTo(TriggerRefusedException.Reason.TICK_IN_FLIGHT);
        assertThat(other.status().loop("docs").orElseThrow().inFlightTickId()).isEqualTo(tick.tickId());

        other.completions().completed("docs", tick.tickId(), Outcome.PROPOSED);
        other.completions().completed("docs", tick.tickId(), Outcome.PROPOSED);

        assertThat(scheduler.status().loop("docs").orElseThrow().inFlightTickId())
                .isNull();
        assertThat(scheduler.status().loop("docs").orElseThrow().recentOutcomes())
                .containsExactly("proposed");
        assertThat(other.triggers().triggerManually("docs", "bob").tickId()).isNotEqualTo(tick.tickId());
    }

    @Test
    void aSlotOneReplicaTriggeredIsNotTriggeredAgainByAnother() throws IOException {
        loop("docs", "L1", "30s", false);
        scheduler.registry().reload();
        SchedulerBeans other = restarted("replica-b");
        clock.advance(Duration.ofSeconds(5));

        List<Event> first = scheduler.dueCheck().runDue();
        List<Event> second = other.dueCheck().runDue();

        assertThat(first).hasSize(1);
        assertThat(second).isEmpty();
        assertThat(published).hasSize(1);
        assertThat(other.status().loop("docs").orElseThrow().nextRunAt()).isEqualTo(START.plusSeconds(35));
    }

    @Test
    void onlyOneWritingLoopPerRepositoryRunsTheOtherStaysDueUntilTheFirstCompletes() throws IOException {
        loop("fix-a", "L2", "30s", false);
        loop("fix-b", "L2", "30s", false);
        // a report loop on the same repository does not write: it runs alongside
        spec(
                "report.yaml",
                "{id: report, kind: report, level: L1, cadence: 30s, target: {repo: /srv/repo},"
                        + " budget: {dailyTokens: 1000}}");
        scheduler.registry().reload();
        clock.advance(Duration.ofSeconds(5));

        List<Event> first = scheduler.dueCheck().runDue();
        assertThat(first).extracting(Event::loopId).containsExactlyInAnyOrder("fix-a", "report");
        Instant dueB = scheduler.status().loop("fix-b").orElseThrow().nextRunAt();
        assertThatThrownBy(() -> scheduler.triggers().triggerManually("fix-b", "alice"))
                .hasMessageContaining("repository /srv/repo has a writing tick in flight")
                .extracting(SchedulerTest::refusal)
                .isEqualTo(TriggerRefusedException.Reason.REPO_BUSY);

        clock.advance(Duration.ofSeconds(2));
        assertThat(scheduler.dueCheck().runDue()).isEmpty();
        assertThat(scheduler.status().loop("fix-b").orElseThrow().nextRunAt()).isEqualTo(dueB);

        scheduler
                .completions()
                .completed(
                        "fix-a",
                        first.stream()
                                .filter(e -> e.loopId().equals("fix-a"))
                                .findFirst()
                                .orElseThrow()
                                .tickId());
        assertThat(scheduler.dueCheck().runDue()).singleElement().satisfies(e -> {
            assertThat(e.loopId()).isEqualTo("fix-b");
            assertThat(e.dataAs(TickTriggered.class).trigger().scheduledFor()).isEqualTo(dueB);
        });
    }

    @Test
    void aWritingLeaseThatExpiredNoLongerBlocksTheRepository() throws IOException {
        loop("fix-a", "L2", "1h", false);
        loop("fix-b", "L2", "1h", false);
        scheduler.registry().reload();
        scheduler.triggers().triggerManually("fix-a", "alice");

        clock.advance(Duration.ofMinutes(15));

        assertThat(scheduler.status().loop("fix-a").orElseThrow().inFlightTickId())
                .isNull();
        assertThat(scheduler.triggers().triggerManually("fix-b", "bob").loopId())
                .isEqualTo("fix-b");
    }

    // ---------------------------------------------------------------------------------- fair share

    private void teamLoop(String id, String team, int priority) throws IOException {
        spec(
                id + ".yaml",
                "{id: " + id + ", team: " + team + ", kind: report, level: L1, cadence: 1h, priority: " + priority
                        + ", target: {repo: /srv/" + id + "}, budget: {dailyTokens: 1000}}");
    }

    private SchedulerBeans capped(int maxInFlight, Map<String, Integer> weights) {
        return SchedulerBeans.wire(
                new LoopSpecReader(),
                new SchedulerSettings(specs, Duration.ofMinutes(15), Duration.ofSeconds(5))
                        .withMaxInFlight(maxInFlight, weights),
                clock,
                new SplittableRandom(42),
                published::add,
                store,
                Admission.ALLOW_ALL,
                "replica-a");
    }

    @Test
    void whenSlotsAreShortTeamsShareThemByPriorityAndTheRestStayDue() throws IOException {
        for (int i = 0; i < 4; i++) {
            teamLoop("big-" + i, "big", i);
        }
        teamLoop("small-0", "small", 9);
        scheduler = capped(3, Map.of());
        scheduler.registry().reload();
        clock.advance(Duration.ofSeconds(5));

        List<Event> first = scheduler.dueCheck().runDue();

        // one slot each, then the third to the big team's most urgent loop after its first
        assertThat(first).extracting(Event::loopId).containsExactlyInAnyOrder("big-0", "small-0", "big-1");
        assertThat(scheduler.status().loop("big-2").orElseThrow().nextRunAt()).isBeforeOrEqualTo(clock.instant());
        clock.advance(Duration.ofSeconds(1));
        assertThat(scheduler.dueCheck().runDue()).isEmpty();

        scheduler
                .completions()
                .completed(
                        "small-0",
                        first.stream()
                                .filter(e -> e.loopId().equals("small-0"))
                                .findFirst()
                                .orElseThrow()
                                .tickId());
        assertThat(scheduler.dueCheck().runDue()).extracting(Event::loopId).containsExactly("big-2");
        assertThat(scheduler.status().ticksInFlight()).isEqualTo(3);
    }

    @Test
    void aHeavierTeamGetsItsWeightInSlots() throws IOException {
        for (int i = 0; i < 4; i++) {
            teamLoop("heavy-" + i, "heavy", i);
            teamLoop("light-" + i, "light", i);
        }
        scheduler = capped(3, Map.of("heavy", 2));
        scheduler.registry().reload();
        clock.advance(Duration.ofSeconds(5));

        assertThat(scheduler.dueCheck().runDue())
                .extracting(Event::loopId)
                .containsExactlyInAnyOrder("heavy-0", "heavy-1", "light-0");
    }

    // ---------------------------------------------------------------------------------- admission

    @Test
    void aCadenceRunTheAdmissionRefusesIsSkippedWithItsReasonInTheStatus() throws IOException {
        loop("docs", "L1", "30s", false);
        scheduler.registry().reload();
        admission = (loopId, team) -> Admission.Decision.refuse("team " + team + " is over its daily budget");
        clock.advance(Duration.ofSeconds(5));

        assertThat(scheduler.dueCheck().runDue()).isEmpty();

        LoopStatus status = scheduler.status().loop("docs").orElseThrow();
        assertThat(status.lastRefusal())
                .isEqualTo(new LoopStatus.Refusal("team platform is over its daily budget", clock.instant()));
        assertThat(status.nextRunAt()).isEqualTo(clock.instant().plusSeconds(30));
        assertThat(status.inFlightTickId()).isNull();
        assertThatThrownBy(() -> scheduler.triggers().triggerManually("docs", "alice"))
                .hasMessage("loop docs may not run now: team platform is over its daily budget")
                .extracting(SchedulerTest::refusal)
                .isEqualTo(TriggerRefusedException.Reason.ADMISSION_REFUSED);

        admission = Admission.ALLOW_ALL;
        clock.advance(Duration.ofSeconds(30));
        assertThat(scheduler.dueCheck().runDue()).extracting(Event::loopId).containsExactly("docs");
        assertThat(published).hasSize(1);
    }

    @Test
    void aCadenceRunWhoseAdmissionCannotBeCheckedStaysDueAndNothingRuns() throws IOException {
        loop("docs", "L1", "30s", false);
        scheduler.registry().reload();
        admission = (loopId, team) -> {
            throw new IllegalStateException("state-service unreachable");
        };
        clock.advance(Duration.ofSeconds(5));
        Instant due = scheduler.status().loop("docs").orElseThrow().nextRunAt();

        assertThat(scheduler.dueCheck().runDue()).isEmpty();
        assertThat(scheduler.status().loop("docs").orElseThrow().nextRunAt()).isEqualTo(due);
        assertThat(scheduler.status().loop("docs").orElseThrow().lastRefusal().reason())
                .isEqualTo("admission check failed: state-service unreachable");
        assertThatThrownBy(() -> scheduler.triggers().triggerManually("docs", "alice"))
                .extracting(SchedulerTest::refusal)
                .isEqualTo(TriggerRefusedException.Reason.ADMISSION_UNAVAILABLE);

        admission = Admission.ALLOW_ALL;
        assertThat(scheduler.dueCheck().runDue())
                .singleElement()
                .extracting(e -> e.dataAs(TickTriggered.class).trigger().scheduledFor())
                .isEqualTo(due);
    }

    // ---------------------------------------------------------------------------------- leadership

    @Test
    void oneReplicaLeadsAndAnotherTakesOverOnlyAfterItResigns() {
        LeaderElection a = new LeaderElection(store, "replica-a", Duration.ofMinutes(1));
        LeaderElection b = new LeaderElection(db.store(), "replica-b", Duration.ofMinutes(1));

        assertThat(a.renew()).isTrue();
        assertThat(b.renew()).isFalse();
        assertThat(a.renew()).isTrue();
        assertThat(b.currentLeader())
                .hasValueSatisfying(l -> assertThat(l.holder()).isEqualTo("replica-a"));
        Instant since = a.leaderSince().orElseThrow();

        a.resign();
        assertThat(a.isLeader()).isFalse();
        assertThat(b.renew()).isTrue();
        assertThat(b.leaderSince().orElseThrow()).isAfterOrEqualTo(since);
        assertThat(a.renew()).isFalse();
    }

    @Test
    void leadershipExpiresByTheDatabaseClockWhenTheLeaderStopsRenewing() {
        LeaderElection a = new LeaderElection(store, "replica-a", Duration.ofMillis(300));
        LeaderElection b = new LeaderElection(db.store(), "replica-b", Duration.ofMillis(300));
        assertThat(a.renew()).isTrue();

        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(b::renew);

        assertThat(a.isLeader()).isFalse();
        assertThat(a.renew()).isFalse();
    }

    /** A loop ready for L1 with extra YAML fields (timing). */
    private void timedLoop(String id, String timing) throws IOException {
        spec(
                id + ".yaml",
                "{id: " + id + ", kind: report, level: L1, target: {repo: /srv/repo}, budget: {dailyTokens: 1000},"
                        + timing + "}");
    }

    @Test
    void aCronLoopRunsAtItsNextLocalTimeWithTriggerKindCron() throws Exception {
        // START is 2026-11-21T06:00Z = 07:00 CET; 02:30 CET is 01:30Z
        timedLoop("nightly", "cron: '30 2 * * *', timezone: Europe/Berlin");
        scheduler.registry().reload();

        LoopStatus status = scheduler.status().loop("nightly").orElseThrow();
        assertThat(status.cron()).isEqualTo("30 2 * * *");
        assertThat(status.timezone()).isEqualTo("Europe/Berlin");
        assertThat(status.cadence()).isNull();
        assertThat(status.nextRunAt()).isEqualTo(Instant.parse("2026-11-22T01:30:00Z"));

        clock.advance(Duration.between(START, Instant.parse("2026-11-22T01:29:59Z")));
        assertThat(scheduler.dueCheck().runDue()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        Event tick = scheduler.dueCheck().runDue().get(0);

        TickTriggered data = tick.dataAs(TickTriggered.class);
        assertThat(data.trigger().kind()).isEqualTo("cron");
        assertThat(data.trigger().scheduledFor()).isEqualTo(Instant.parse("2026-11-22T01:30:00Z"));
        assertThat(data.spec().cron()).isEqualTo("30 2 * * *");
        // the spec's new fields are valid against the event schema
        assertThat(EventCodec.decode(EventCodec.encode(tick))
                        .dataAs(TickTriggered.class)
                        .spec()
                        .timezone())
                .isEqualTo("Europe/Berlin");
        assertThat(scheduler.status().loop("nightly").orElseThrow().nextRunAt())
                .isEqualTo(Instant.parse("2026-11-23T01:30:00Z"));
    }

    @Test
    void aRunDueInsideAPauseWindowRunsAtTheWindowsEnd() throws IOException {
        // 07:00 CET is inside the 06:30-09:00 window, so the first run waits for 09:00 CET (08:00Z)
        timedLoop("daytime", "cadence: 30s, timezone: Europe/Berlin, pauseWindows: [{from: '06:30', to: '09:00'}]");
        scheduler.registry().reload();

        Instant windowEnd = Instant.parse("2026-11-21T08:00:00Z");
        assertThat(scheduler.status().loop("daytime").orElseThrow().nextRunAt()).isEqualTo(windowEnd);
        clock.advance(Duration.between(START, windowEnd).minusSeconds(1));
        assertThat(scheduler.dueCheck().runDue()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(scheduler.dueCheck().runDue())
                .singleElement()
                .extracting(e -> e.dataAs(TickTriggered.class).trigger().scheduledFor())
                .isEqualTo(windowEnd);
    }

    @Test
    void aCronRunInsideAWeekendWindowMovesToMondayMorning() throws IOException {
        // 2026-11-21 is a Saturday: Sunday's 02:30 run falls in the weekend window and moves to Monday 00:00 CET
        timedLoop(
                "weekdays",
                "cron: '30 2 * * *', timezone: Europe/Berlin,"
                        + " pauseWindows: [{days: [sat, sun], from: '00:00', to: '00:00'}]");
        scheduler.registry().reload();

        assertThat(scheduler.status().loop("weekdays").orElseThrow().nextRunAt())
                .isEqualTo(Instant.parse("2026-11-22T23:00:00Z"));
    }

    @Test
    void contradictoryOrUnreadableTimingMakesTheSpecInvalid() throws IOException {
        timedLoop("both", "cadence: 1h, cron: '0 * * * *'");
        timedLoop("nozone", "cron: '0 * * * *', timezone: Europe/Atlantis");
        timedLoop("badcron", "cron: '0 25 * * *'");
        scheduler.registry().reload();

        assertThat(scheduler.status().loops())
                .filteredOn(l -> !l.valid())
                .extracting(l -> l.id(), l -> l.problems().get(0).field())
                .containsExactlyInAnyOrder(
                        tuple("both", "$.cron"), tuple("nozone", "$.timezone"), tuple("badcron", "$.cron"));
        assertThat(scheduler
                        .status()
                        .loop("both")
                        .orElseThrow()
                        .problems()
                        .get(0)
                        .message())
                .isEqualTo("set either cadence or cron, not both");
    }
}
