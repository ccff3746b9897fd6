package dev.loopline.scheduler.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loopline.core.spec.LoopSpecReader;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.testsupport.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two scheduler replicas over one real Postgres database and one spec directory, each with its own connection
 * pool, replica id and publisher, both running their leadership renewal, spec reload and due-check timers
 * concurrently, on a shared simulated clock the test advances. Every trigger is counted per (loop, scheduled
 * slot); the publishers check, as each tick is published, that no loop has two ticks in flight and no
 * repository two writing ticks.
 */
class TwoReplicaTest {

    private static final Instant START = Instant.parse("2026-11-21T06:00:00Z");
    /** The simulated time between two due checks. */
    private static final Duration STEP = Duration.ofSeconds(2);

    private static final Duration TTL = Duration.ofSeconds(2);
    private static final Duration RENEW = Duration.ofMillis(250);
    /** Room for thread scheduling on a loaded machine on top of ttl + renew interval. */
    private static final Duration SCHEDULING_SLACK = Duration.ofSeconds(2);

    private static TestDatabase db;

    @TempDir
    Path specs;

    private final MutableClock clock = new MutableClock(START);
    private final SplittableRandom dice = new SplittableRandom(7);

    /** loop id → cadence seconds (cadence loops only). */
    private final Map<String, Integer> cadences = new LinkedHashMap<>();
    /** loop id → repository of the writing loops. */
    private final Map<String, String> writers = new HashMap<>();

    private final List<String> manualOnly = new ArrayList<>();

    private final List<Published> published = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Map<String, String> openTickByLoop = new ConcurrentHashMap<>();
    private final Map<String, String> openWriterByRepo = new ConcurrentHashMap<>();
    /** tick id → the step after which the test completes it. */
    private final Map<String, Integer> completeAfterStep = new ConcurrentHashMap<>();

    private final List<Replica> replicas = new ArrayList<>();
    private volatile int step;

    /** One published tick, and which replica published it. */
    private record Published(String replica, Event event, int step) {
        String loopId() {
            return event.loopId();
        }

        TickTriggered.Trigger trigger() {
            return event.dataAs(TickTriggered.class).trigger();
        }
    }

    /** A scheduler replica: its own store and pool, service, leadership and timers. */
    private final class Replica {
        final String id;
        final SchedulerBeans service;
        final LeaderElection leadership;
        final ScheduledExecutorService timers = Executors.newScheduledThreadPool(3);
        /** Due checks this replica ran as leader. */
        final AtomicLong dueChecks = new AtomicLong();

        Replica(String id) {
            this.id = id;
            SchedulerStore store = db.store();
            this.service = SchedulerBeans.wire(
                    new LoopSpecReader(),
                    new SchedulerSettings(specs, Duration.ofMinutes(15), Duration.ofSeconds(5)),
                    clock,
                    new SplittableRandom(id.hashCode()),
                    event -> record(id, event),
                    store,
                    Admission.ALLOW_ALL,
                    id);
            this.leadership = new LeaderElection(store, id, TTL);
        }

        /** The service's own timers, as {@code SchedulerJobs} runs them, at a faster pace. */
        void start() {
            service.registry().reload();
            timers.scheduleWithFixedDelay(guarded(leadership::renew), 0, RENEW.toMillis(), TimeUnit.MILLISECONDS);
            timers.scheduleWithFixedDelay(guarded(service.registry()::reload), 100, 200, TimeUnit.MILLISECONDS);
            timers.scheduleWithFixedDelay(
                    guarded(() -> {
                        if (leadership.isLeader()) {
                            service.dueCheck().runDue();
                            dueChecks.incrementAndGet();
                        }
                    }),
                    0,
                    3,
                    TimeUnit.MILLISECONDS);
        }

        /** The replica dies: its timers stop (the due check under way runs to its end), it renews no more. */
        void kill() throws InterruptedException {
            timers.shutdown();
            assertThat(timers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            service.close();
        }

        private Runnable guarded(Runnable job) {
            return () -> {
                try {
                    job.run();
                } catch (RuntimeException e) {
                    violations.add(id + ": " + e);
                }
            };
        }
    }

    @BeforeAll
    static void database() {
        db = TestDatabase.named("scheduler_two_replicas");
    }

    @AfterAll
    static void closeDatabase() {
        db.close();
    }

    @BeforeEach
    void emptyTables() {
        db.truncate();
    }

    @AfterEach
    void stopReplicas() {
        replicas.forEach(r -> {
            r.timers.shutdownNow();
            r.service.close();
        });
    }

    /** Publishing a tick: the loop and (for a writer) its repository must have nothing in flight. */
    private void record(String replica, Event event) {
        String loopId = event.loopId();
        String before = openTickByLoop.putIfAbsent(loopId, event.tickId());
        if (before != null) {
            violations.add("two ticks of " + loopId + " in flight: " + before + " and " + event.tickId());
        }
        String repo = writers.get(loopId);
        if (repo != null) {
            String writer = openWriterByRepo.putIfAbsent(repo, loopId);
            if (writer != null) {
                violations.add("two writing loops on " + repo + ": " + writer + " and " + loopId);
            }
        }
        completeAfterStep.put(
                event.tickId(), step + 1 + ThreadLocalRandom.current().nextInt(3));
        published.add(new Published(replica, event, step));
    }

    private void specs() throws IOException {
        String[] teams = {"alpha", "beta", "gamma"};
        int[] cadenceSeconds = {20, 30, 45, 60};
        for (int i = 0; i < 24; i++) {
            String id = "report-" + i;
            int cadence = cadenceSeconds[i % cadenceSeconds.length];
            cadences.put(id, cadence);
            Files.writeString(
                    specs.resolve(id + ".yaml"),
                    "{id: " + id + ", team: " + teams[i % 3] + ", kind: report, level: L1, cadence: " + cadence
                            + "s, priority: " + (i % 5) + ", target: {repo: /srv/report-" + i
                            + "}, budget: {dailyTokens: 1000}}");
        }
        // six repositories, two writing loops on each
        for (int i = 0; i < 12; i++) {
            String id = "fix-" + i;
            String repo = "/srv/shared-" + (i / 2);
            int cadence = cadenceSeconds[(i + 1) % cadenceSeconds.length];
            cadences.put(id, cadence);
            writers.put(id, repo);
            Files.writeString(
                    specs.resolve(id + ".yaml"), writer(id, teams[i % 3], repo, "cadence: " + cadence + "s,"));
        }
        for (int i = 0; i < 4; i++) {
            String id = "manual-" + i;
            manualOnly.add(id);
            if (i < 2) {
                writers.put(id, "/srv/manual");
                Files.writeString(specs.resolve(id + ".yaml"), writer(id, "alpha", "/srv/manual", ""));
            } else {
                Files.writeString(
                        specs.resolve(id + ".yaml"),
                        "{id: " + id + ", team: beta, kind: report, level: L1, target: {repo: /srv/manual-report},"
                                + " budget: {dailyTokens: 1000}}");
            }
        }
    }

    private static String writer(String id, String team, String repo, String timing) {
        return "{id: " + id + ", team: " + team + ", kind: assisted-fix, level: L2, " + timing + " target: {repo: "
                + repo + "}, test: {command: ./test.sh}, maker: {type: mock}, budget: {dailyTokens: 1000}}";
    }

    /**
     * One simulated step: the clock moves, the test completes the ticks whose time has come (on either
     * replica, as the completions topic's consumer group would) and now and then triggers a manual-only loop
     * by hand on either replica; then it waits until a leader has run two due checks since, so one has
     * looked at the new time (if leadership changes hands meanwhile, the step waits for the new leader).
     */
    private void step(List<Replica> live) {
        step++;
        clock.advance(STEP);
        for (Published p : published) {
            Integer due = completeAfterStep.get(p.event().tickId());
            if (due != null && due <= step) {
                complete(p, live.get(dice.nextInt(live.size())));
            }
        }
        if (step % 3 == 0) {
            String loop = manualOnly.get(dice.nextInt(manualOnly.size()));
            Replica via = live.get(dice.nextInt(live.size()));
            try {
                via.service.triggers().triggerManually(loop, "test");
            } catch (TriggerRefusedException e) {
                if (e.reason() != TriggerRefusedException.Reason.TICK_IN_FLIGHT
                        && e.reason() != TriggerRefusedException.Reason.REPO_BUSY) {
                    violations.add("manual trigger of " + loop + " refused: " + e.getMessage());
                }
            }
        }
        Map<Replica, Long> seen = new HashMap<>();
        live.forEach(r -> seen.put(r, r.dueChecks.get()));
        await().pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(2))
                .atMost(Duration.ofSeconds(30))
                .until(() -> live.stream().anyMatch(r -> r.dueChecks.get() >= seen.get(r) + 2));
    }

    /** The test forgets the tick as in flight first, then the service releases its lease. */
    private void complete(Published p, Replica via) {
        String tickId = p.event().tickId();
        completeAfterStep.remove(tickId);
        String repo = writers.get(p.loopId());
        if (repo != null) {
            openWriterByRepo.remove(repo, p.loopId());
        }
        openTickByLoop.remove(p.loopId(), tickId);
        via.service.completions().completed(p.loopId(), tickId);
    }

    private List<Published> cadenceRuns() {
        return published.stream()
                .filter(p -> p.trigger().kind().equals("cadence"))
                .toList();
    }

    @Test
    void twoReplicasTriggerEveryCadenceSlotOnceAndTheSurvivorTakesOverFromADeadLeader() throws Exception {
        specs();
        Replica a = new Replica("replica-a");
        Replica b = new Replica("replica-b");
        replicas.addAll(List.of(a, b));
        a.start();
        b.start();
        await().atMost(TTL.plus(RENEW).plus(SCHEDULING_SLACK))
                .until(() -> a.leadership.isLeader() || b.leadership.isLeader());

        // ten simulated minutes with both replicas alive
        for (int i = 0; i < 300; i++) {
            step(List.of(a, b));
        }
        assertThat(violations).isEmpty();
        assertThat(a.leadership.isLeader() && b.leadership.isLeader()).isFalse();
        Replica leader = a.leadership.isLeader() ? a : b;
        Replica survivor = leader == a ? b : a;
        int cadenceRunsWhileBoth = cadenceRuns().size();

        // the leader dies; its last slots are in the database
        leader.kill();
        long killedAt = System.nanoTime();
        // from here on only the survivor publishes
        int published0 = published.size();
        Map<String, Instant> pending = new HashMap<>();
        db.store().states(4).forEach((id, s) -> {
            if (cadences.containsKey(id)) {
                pending.put(id, s.nextRunAt());
            }
        });
        // half a minute passes before anyone looks: these slots fall due meanwhile
        clock.advance(Duration.ofSeconds(30));
        Instant afterGap = clock.instant();
        await().pollInterval(Duration.ofMillis(10))
                .atMost(TTL.plus(RENEW).plus(SCHEDULING_SLACK))
                .until(survivor.leadership::isLeader);
        Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);

        // three more simulated minutes on the survivor alone
        for (int i = 0; i < 90; i++) {
            step(List.of(survivor));
        }
        assertThat(violations).isEmpty();

        // every (loop, slot) triggered once, by either replica
        Map<String, Integer> perSlot = new HashMap<>();
        cadenceRuns().forEach(p -> perSlot.merge(p.loopId() + "@" + p.trigger().scheduledFor(), 1, Integer::sum));
        assertThat(perSlot)
                .allSatisfy((slot, count) -> assertThat(count).as(slot).isEqualTo(1));

        // no slot lost: each loop's slots follow one another at its cadence (a lost slot would double a gap),
        // from the first (within the first-run jitter) to the last (within a cadence of the end); a writing
        // loop waiting for its repository and the half-minute in which the leader died stretch the bound
        Instant end = clock.instant();
        for (Map.Entry<String, Integer> loop : cadences.entrySet()) {
            List<Instant> slots = cadenceRuns().stream()
                    .filter(p -> p.loopId().equals(loop.getKey()))
                    .map(p -> p.trigger().scheduledFor())
                    .sorted()
                    .toList();
            Duration cadence = Duration.ofSeconds(loop.getValue());
            assertThat(slots).as(loop.getKey()).isNotEmpty();
            assertThat(slots.get(0)).as(loop.getKey()).isBetween(START, START.plusSeconds(5));
            assertThat(slots.get(slots.size() - 1))
                    .as(loop.getKey())
                    .isAfter(end.minus(cadence).minus(STEP.multipliedBy(6)));
            Instant pendingAtKill = pending.get(loop.getKey());
            for (int i = 1; i < slots.size(); i++) {
                Duration gap = Duration.between(slots.get(i - 1), slots.get(i));
                // the slot pending when the leader died ran late, after the gap; the next one follows it
                Duration late = slots.get(i - 1).equals(pendingAtKill) ? Duration.ofSeconds(30) : Duration.ZERO;
                assertThat(gap).as(loop.getKey() + " " + slots.get(i)).isGreaterThanOrEqualTo(cadence);
                assertThat(gap)
                        .as(loop.getKey() + " " + slots.get(i))
                        .isLessThanOrEqualTo(cadence.plus(STEP.multipliedBy(6)).plus(late));
            }
        }

        // the slots pending when the leader died were each triggered once, by the survivor, as they were
        List<Published> afterKill = published.subList(published0, published.size());
        for (Map.Entry<String, Instant> slot : pending.entrySet()) {
            if (slot.getValue() == null || slot.getValue().isAfter(afterGap)) {
                continue;
            }
            List<Published> runs = cadenceRuns().stream()
                    .filter(p -> p.loopId().equals(slot.getKey())
                            && p.trigger().scheduledFor().equals(slot.getValue()))
                    .toList();
            assertThat(runs)
                    .as(slot.getKey() + "@" + slot.getValue())
                    .singleElement()
                    .satisfies(p -> {
                        assertThat(p.replica()).isEqualTo(survivor.id);
                        assertThat(afterKill).contains(p);
                    });
        }
        assertThat(afterKill).extracting(Published::replica).containsOnly(survivor.id);
        assertThat(pending.values())
                .filteredOn(at -> at != null && !at.isAfter(afterGap))
                .hasSizeGreaterThan(15);

        System.out.printf(
                "two replicas: %d ticks (%d cadence runs while both ran; %d by %s, %d by %s), %d manual;"
                        + " takeover after %d ms (ttl %s, renew %s)%n",
                published.size(),
                cadenceRunsWhileBoth,
                published.stream().filter(p -> p.replica().equals(a.id)).count(),
                a.id,
                published.stream().filter(p -> p.replica().equals(b.id)).count(),
                b.id,
                published.stream()
                        .filter(p -> p.trigger().kind().equals("manual"))
                        .count(),
                takeover.toMillis(),
                TTL,
                RENEW);
        assertThat(published.stream().map(p -> p.event().tickId()).distinct().count())
                .isEqualTo(published.size());
    }
}
