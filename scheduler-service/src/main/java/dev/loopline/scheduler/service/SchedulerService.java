package dev.loopline.scheduler.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.loopline.core.plan.SpecAuditor;
import dev.loopline.core.schedule.AnomalyDetector;
import dev.loopline.core.schedule.FairShare;
import dev.loopline.core.spec.LoadedSpec;
import dev.loopline.core.spec.LoopSpecReader;
import dev.loopline.core.spec.SpecLoadResult;
import dev.loopline.core.spec.SpecProblem;
import dev.loopline.scheduler.service.SchedulerStore.Acquisition;
import dev.loopline.scheduler.service.SchedulerStore.LoopState;
import dev.loopline.scheduler.service.SchedulerStore.SlotClaim;
import dev.loopline.scheduler.service.SchedulerStore.TickLease;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.schemas.http.LoopStatus;
import dev.loopline.schemas.spec.LoopSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;
import org.jboss.logging.Logger;

/**
 * The loop registry and trigger logic. Specs come from a directory that is read again periodically; loops
 * run on their cadence or cron outside their pause windows (never when paused, halted or at L0) and on
 * demand.
 *
 * <p>Everything that must hold across replicas and restarts is in the {@link SchedulerStore} (Postgres): the
 * tick leases (at most one tick in flight per loop and one writing loop per repository, released by the tick's
 * TickCompleted or when the tick timeout passes), operator pauses, anomaly halts and recent outcomes, and each
 * loop's slot chain ({@code next_run_at}), taken with a conditional update so a cadence run is triggered once
 * even when two replicas check at the same time. Only the specs read from the directory are held in memory.
 *
 * <p>Any replica may serve manual (and event) triggers; the due-check ({@link #runDue()}) is meant to run on
 * the replica that holds {@link LeaderElection leadership}. When more loops are due than may start ({@code
 * maxInFlight} ticks in flight across all replicas) {@link FairShare} picks which start; the others stay due.
 */
public class SchedulerService {

    static final String SOURCE = "scheduler-service";
    private static final Logger LOG = Logger.getLogger(SchedulerService.class);

    /** How many due runs start at once (each a lease transaction and a broker acknowledgement). */
    static final int DISPATCH_THREADS = 8;

    private static final ExecutorService DISPATCH = Executors.newFixedThreadPool(DISPATCH_THREADS, task -> {
        Thread t = new Thread(task, "scheduler-dispatch");
        t.setDaemon(true);
        return t;
    });
    private static final DateTimeFormatter TICK_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Default cap of ticks in flight across all replicas. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 50;

    /**
     * Settings; see {@code SchedulerConfig}.
     *
     * @param maxInFlight at most this many ticks in flight across all replicas before the due-check holds back
     *     due loops (they stay due); manual and event triggers are not held back by it
     * @param teamWeights fair-share weight per team (teams not listed weigh 1)
     */
    public record Settings(
            Path specDir,
            Duration tickTimeout,
            Duration firstRunJitter,
            LevelEnforcement levelEnforcement,
            int anomalyWindow,
            int maxInFlight,
            Map<String, Integer> teamWeights) {

        public Settings {
            if (anomalyWindow < AnomalyDetector.MIN_WINDOW) {
                throw new IllegalArgumentException("loopline.scheduler.anomaly.window must be at least "
                        + AnomalyDetector.MIN_WINDOW + " to see both anomalies, got " + anomalyWindow);
            }
            if (maxInFlight < 1) {
                throw new IllegalArgumentException(
                        "loopline.scheduler.max-in-flight must be at least 1, got " + maxInFlight);
            }
            teamWeights = Map.copyOf(teamWeights);
        }

        /** Defaults for what is not given: levels capped, anomaly window of 4, 50 in flight, equal teams. */
        public Settings(Path specDir, Duration tickTimeout, Duration firstRunJitter) {
            this(specDir, tickTimeout, firstRunJitter, LevelEnforcement.CAP, AnomalyDetector.MIN_WINDOW);
        }

        public Settings(
                Path specDir, Duration tickTimeout, Duration firstRunJitter, LevelEnforcement levelEnforcement) {
            this(specDir, tickTimeout, firstRunJitter, levelEnforcement, AnomalyDetector.MIN_WINDOW);
        }

        public Settings(
                Path specDir,
                Duration tickTimeout,
                Duration firstRunJitter,
                LevelEnforcement levelEnforcement,
                int anomalyWindow) {
            this(
                    specDir,
                    tickTimeout,
                    firstRunJitter,
                    levelEnforcement,
                    anomalyWindow,
                    DEFAULT_MAX_IN_FLIGHT,
                    Map.of());
        }

        public Settings withMaxInFlight(int max, Map<String, Integer> weights) {
            return new Settings(specDir, tickTimeout, firstRunJitter, levelEnforcement, anomalyWindow, max, weights);
        }
    }

    /**
     * A valid loop: the spec as declared, and the spec it runs with, at the level enforcement allows (the one
     * emitted on every tick, so downstream services enforce that level too).
     */
    private record Registered(
            LoadedSpec loaded,
            LoopTiming timing,
            String timingKey,
            LevelEnforcement.Decision level,
            LoopSpec effective,
            String hash) {

        static Registered of(LoadedSpec loaded, LoopTiming timing, LevelEnforcement.Decision level) {
            LoopSpec spec = loaded.spec();
            String key = timingKey(spec);
            if (level.effective() == null || level.effective() == spec.level()) {
                return new Registered(loaded, timing, key, level, spec, loaded.hash());
            }
            LoopSpec capped = spec.withLevel(level.effective());
            return new Registered(loaded, timing, key, level, capped, LoopSpecReader.hash(capped));
        }

        /** What the loop's slots are computed from: a different key means its next slot is placed anew. */
        private static String timingKey(LoopSpec spec) {
            return "cadence=" + spec.cadence() + ";cron=" + spec.cron() + ";tz=" + spec.timezone() + ";pause="
                    + spec.pauseWindows();
        }

        LoopSpec spec() {
            return loaded.spec();
        }

        String id() {
            return loaded.spec().id();
        }

        /** Whether the loop runs by itself (cadence or cron): not paused in its spec, runnable, above L0. */
        boolean runsOnSchedule() {
            return timing.scheduled()
                    && !spec().isPaused()
                    && level.runnable()
                    && level.effective() != LoopSpec.Level.L0;
        }

        /**
         * Whether the loop may push to its repository: an assisted-fix loop running at L2 (proposes a change)
         * or L3 (merges unattended). Only one such loop per repository has a tick in flight at a time.
         */
        boolean writes() {
            return effective.kind() == LoopSpec.Kind.ASSISTED_FIX
                    && (effective.level() == LoopSpec.Level.L2 || effective.level() == LoopSpec.Level.L3);
        }

        String repo() {
            return spec().target().repo().strip();
        }
    }

    private record Invalid(String id, String file, List<SpecProblem> problems) {}

    /** The registry as read last: valid loops by id and invalid spec files. */
    private record Registry(Map<String, Registered> loops, List<Invalid> invalid) {

        Optional<Invalid> invalid(String id) {
            return invalid.stream().filter(i -> i.id().equals(id)).findFirst();
        }

        boolean knows(String id) {
            return loops.containsKey(id) || invalid(id).isPresent();
        }
    }

    private final LoopSpecReader reader;
    private final SpecAuditor auditor = new SpecAuditor();
    private final AnomalyDetector anomalies = new AnomalyDetector();
    private final Settings settings;
    private final Clock clock;
    private final RandomGenerator random;
    private final TickPublisher publisher;
    private final SchedulerStore store;
    private final Admission admission;
    private final String replicaId;
    private final FairShare fairShare;

    /** Replaced whole on every reload; read without a lock. */
    private volatile Registry registry = new Registry(Map.of(), List.of());

    private final Object randomLock = new Object();

    /**
     * @param store where trigger state lives (shared by every replica)
     * @param admission asked before every tick starts
     * @param replicaId this replica's name, recorded as the holder of the leases it takes
     */
    public SchedulerService(
            LoopSpecReader reader,
            Settings settings,
            Clock clock,
            RandomGenerator random,
            TickPublisher publisher,
            SchedulerStore store,
            Admission admission,
            String replicaId) {
        this.reader = reader;
        this.settings = settings;
        this.clock = clock;
        this.random = random;
        this.publisher = publisher;
        this.store = Objects.requireNonNull(store, "store");
        this.admission = Objects.requireNonNull(admission, "admission");
        this.replicaId = Objects.requireNonNull(replicaId, "replicaId");
        this.fairShare = new FairShare(settings.teamWeights());
    }

    public String replicaId() {
        return replicaId;
    }

    public Settings settings() {
        return settings;
    }

    /** Reads the spec directory again; specs that changed apply from now on. */
    public void reload() {
        SpecLoadResult result = reader.readDirectory(settings.specDir());
        Map<String, List<SpecProblem>> problemsByFile = new LinkedHashMap<>();
        for (SpecProblem p : result.problems()) {
            problemsByFile.computeIfAbsent(p.file(), f -> new ArrayList<>()).add(p);
        }
        if (problemsByFile.containsKey(settings.specDir().toString())
                && result.specs().isEmpty()) {
            // the directory itself is unreadable (for example mid-checkout): keep the loops we have
            LOG.warnf(
                    "cannot read spec directory: %s",
                    problemsByFile.get(settings.specDir().toString()));
            return;
        }
        Map<String, Registered> next = new LinkedHashMap<>();
        for (LoadedSpec loaded : result.specs()) {
            LoopTiming timing;
            try {
                timing = LoopTiming.of(loaded.spec());
            } catch (LoopTiming.InvalidTimingException e) {
                String file = loaded.file().toString();
                problemsByFile
                        .computeIfAbsent(file, f -> new ArrayList<>())
                        .add(new SpecProblem(file, e.field(), e.getMessage()));
                continue;
            }
            LevelEnforcement.Decision level = settings.levelEnforcement().decide(auditor.audit(loaded.spec()));
            next.put(loaded.spec().id(), Registered.of(loaded, timing, level));
        }
        List<Invalid> nextInvalid = new ArrayList<>();
        problemsByFile.forEach((file, problems) -> nextInvalid.add(new Invalid(idOf(file), file, problems)));

        Registry before = registry;
        for (Registered r : next.values()) {
            Registered old = before.loops().get(r.id());
            if (old == null) {
                LOG.infof(
                        "loop %s registered from %s (hash %s)",
                        r.id(), r.loaded().file(), r.loaded().hash());
            } else if (!old.loaded().hash().equals(r.loaded().hash())) {
                LOG.infof(
                        "loop %s changed (hash %s -> %s)",
                        r.id(), old.loaded().hash(), r.loaded().hash());
            }
            if (r.level().reason() != null && (old == null || !r.level().equals(old.level()))) {
                LOG.warnf("loop %s: %s", r.id(), r.level().reason());
            }
        }
        for (Invalid i : nextInvalid) {
            if (before.invalid().stream()
                    .noneMatch(
                            old -> old.file().equals(i.file()) && old.problems().equals(i.problems()))) {
                LOG.warnf("invalid loop spec %s: %s", i.file(), i.problems());
            }
        }
        List<String> ids = new ArrayList<>(next.keySet());
        nextInvalid.forEach(i -> ids.add(i.id()));
        store.ensureLoops(ids);
        registry = new Registry(Map.copyOf(next), List.copyOf(nextInvalid));
        placeSlots(next.values());
    }

    /**
     * Gives every loop that runs by itself a next slot if it has none or its timing changed, and takes it from
     * loops that do not (held, paused in the spec, L0, not runnable). Compare-and-set: when two replicas
     * reload at once, the first one's slot stands.
     */
    private void placeSlots(Iterable<Registered> loops) {
        Map<String, LoopState> states = store.states(settings.anomalyWindow());
        Instant now = now();
        for (Registered r : loops) {
            LoopState s = states.getOrDefault(r.id(), LoopState.empty(r.id()));
            boolean timingChanged = !r.timingKey().equals(s.timingKey());
            if (!r.runsOnSchedule() || s.held()) {
                if (s.nextRunAt() != null || timingChanged) {
                    store.moveNextRun(r.id(), s.nextRunAt(), s.timingKey(), null, r.timingKey());
                }
            } else if (s.nextRunAt() == null || timingChanged) {
                Instant next = s.lastTriggeredAt() == null || r.timing().cron() != null
                        ? first(r, now)
                        : after(r, s.lastTriggeredAt());
                store.moveNextRun(r.id(), s.nextRunAt(), s.timingKey(), next, r.timingKey());
            }
        }
    }

    /**
     * Triggers every loop whose slot is due, at most the free share of {@code maxInFlight}, picked fairly
     * between teams. A due loop with a tick in flight skips that slot; one whose repository has a writing tick
     * in flight, or that did not get a free slot, stays due for the next check.
     *
     * @return the published TickTriggered events
     */
    public List<Event> runDue() {
        Instant now = now();
        Registry reg = registry;
        Map<String, LoopState> states = store.states(settings.anomalyWindow());
        List<TickLease> live = store.liveLeases(now);
        Set<String> loopsInFlight = new HashSet<>();
        Set<String> reposWritten = new HashSet<>();
        Map<String, Integer> inFlightByTeam = new HashMap<>();
        for (TickLease lease : live) {
            loopsInFlight.add(lease.loopId());
            if (lease.writes()) {
                reposWritten.add(lease.repo());
            }
            inFlightByTeam.merge(lease.team(), 1, Integer::sum);
        }

        List<FairShare.Candidate> due = new ArrayList<>();
        for (Registered r : reg.loops().values()) {
            LoopState s = states.get(r.id());
            if (s == null || s.nextRunAt() == null || s.nextRunAt().isAfter(now) || s.held() || !r.runsOnSchedule()) {
                continue;
            }
            if (loopsInFlight.contains(r.id())) {
                LOG.infof("skipping run of %s due at %s: a tick is in flight", r.id(), s.nextRunAt());
                store.skipSlot(r.id(), s.nextRunAt(), after(r, now), null);
                continue;
            }
            if (r.writes() && reposWritten.contains(r.repo())) {
                LOG.debugf("run of %s waits: another writing loop has a tick in flight on %s", r.id(), r.repo());
                continue;
            }
            due.add(new FairShare.Candidate(
                    r.id(), r.spec().teamOrDefault(), r.spec().priorityOrDefault(), s.nextRunAt()));
        }
        int free = settings.maxInFlight() - live.size();
        List<FairShare.Candidate> picked = fairShare.pick(due, inFlightByTeam, free);
        if (picked.size() < due.size()) {
            LOG.infof(
                    "%d loops due, %d of %d tick slots free: %d stay due",
                    due.size(), Math.max(0, free), settings.maxInFlight(), due.size() - picked.size());
        }

        List<Event> published = new ArrayList<>();
        // Each start is a database transaction and a broker acknowledgement: run several at once, so a due-check
        // with many loops due takes a few round trips instead of one per loop (the leases keep them apart).
        // Two writing loops of one repository picked together: the first in fair-share order runs, the other
        // stays due (the lease would refuse it anyway; this keeps the choice deterministic).
        List<Callable<Event>> starts = new ArrayList<>(picked.size());
        Set<String> reposClaimed = new HashSet<>(reposWritten);
        for (FairShare.Candidate c : picked) {
            Registered r = reg.loops().get(c.loopId());
            if (r.writes() && !reposClaimed.add(r.repo())) {
                continue;
            }
            starts.add(() -> startDue(r, states.get(c.loopId()), c.dueAt(), now));
        }
        try {
            for (Future<Event> started : DISPATCH.invokeAll(starts)) {
                Event event = started.get();
                if (event != null) {
                    published.add(event);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warnf(
                    e.getCause(),
                    "due check failed, will retry: %s",
                    e.getCause().getMessage());
        }
        return published;
    }

    /** Admission, then the lease and the publish, of one due run; null when it did not start. */
    private Event startDue(Registered r, LoopState s, Instant slot, Instant now) {
        Admission.Decision decision = admit(r);
        if (!decision.allowed()) {
            LoopStatus.Refusal refusal = new LoopStatus.Refusal(decision.reason(), now);
            if (decision.verdict() == Admission.Decision.Verdict.REFUSE) {
                LOG.warnf("run of %s due at %s skipped, admission refused: %s", r.id(), slot, decision.reason());
                store.skipSlot(r.id(), slot, after(r, now), refusal);
            } else {
                LOG.warnf("run of %s due at %s waits, admission unavailable: %s", r.id(), slot, decision.reason());
                store.recordRefusal(r.id(), refusal);
            }
            return null;
        }
        SlotClaim claim = new SlotClaim(slot, after(r, now), s.lastSlot(), s.lastTriggeredAt());
        try {
            return start(r, r.timing().trigger(slot), now, claim, s.lastTriggeredAt(), decision);
        } catch (TriggerRefusedException e) {
            LOG.warnf("%s; will retry at the next due check", e.getMessage());
            return null;
        }
    }

    /**
     * Triggers a loop now, whatever its cadence.
     *
     * @param by who asked, recorded as {@code trigger.by}
     * @throws TriggerRefusedException for an unknown loop, an invalid spec, a loop not ready for its level
     *     (refused), an L0 (plan-only), paused or halted loop, an admission refusal, a tick in flight, a writing
     *     loop's tick in flight on the same repository, or when the event cannot be published
     */
    public Event triggerManually(String loopId, String by) {
        return triggerNow(loopId, TickTriggered.Trigger.manual(by));
    }

    /**
     * Triggers a loop now because an event it listens to happened (a webhook delivery): the manual-trigger
     * path, refused for the same reasons, with the event's trigger (kind {@code webhook}) on the tick.
     *
     * @throws TriggerRefusedException as {@link #triggerManually}
     */
    public Event triggerByEvent(String loopId, TickTriggered.Trigger trigger) {
        return triggerNow(loopId, trigger);
    }

    /**
     * Triggers a loop now with the given trigger (manual, or an event such as a webhook): the checks of {@link
     * #triggerManually}, then the admission check, the tick lease, and the publish. Served by any replica; the
     * lease keeps one tick in flight per loop whichever replica takes it.
     */
    private Event triggerNow(String loopId, TickTriggered.Trigger trigger) {
        Registry reg = registry;
        Registered r = reg.loops().get(loopId);
        if (r == null) {
            Optional<Invalid> bad = reg.invalid(loopId);
            if (bad.isPresent()) {
                throw new TriggerRefusedException(
                        TriggerRefusedException.Reason.INVALID_SPEC,
                        "loop " + loopId + " has an invalid spec ("
                                + bad.get().file() + "): "
                                + bad.get().problems().get(0));
            }
            throw new TriggerRefusedException(TriggerRefusedException.Reason.UNKNOWN_LOOP, "no loop " + loopId);
        }
        if (!r.level().runnable()) {
            throw new TriggerRefusedException(
                    TriggerRefusedException.Reason.LEVEL_NOT_READY,
                    "loop " + loopId + " " + r.level().reason());
        }
        if (r.level().effective() == LoopSpec.Level.L0) {
            throw new TriggerRefusedException(
                    TriggerRefusedException.Reason.PLAN_ONLY,
                    "loop " + loopId + " runs at L0, which only plans"
                            + (r.level().reason() == null
                                    ? ""
                                    : " (" + r.level().reason() + ")"));
        }
        LoopState s = store.state(loopId, settings.anomalyWindow()).orElse(LoopState.empty(loopId));
        refuseIfHeld(r, s);
        Instant now = now();
        Admission.Decision decision = admit(r);
        if (!decision.allowed()) {
            store.recordRefusal(loopId, new LoopStatus.Refusal(decision.reason(), now));
            throw new TriggerRefusedException(
                    decision.verdict() == Admission.Decision.Verdict.REFUSE
                            ? TriggerRefusedException.Reason.ADMISSION_REFUSED
                            : TriggerRefusedException.Reason.ADMISSION_UNAVAILABLE,
                    "loop " + loopId + " may not run now: " + decision.reason());
        }
        return start(r, trigger, now, null, s.lastTriggeredAt(), decision);
    }

    private static void refuseIfHeld(Registered r, LoopState s) {
        LoopStatus.Pause pause = pauseOf(r, s);
        if (pause != null) {
            throw new TriggerRefusedException(
                    TriggerRefusedException.Reason.PAUSED,
                    "loop " + r.id() + " is paused" + (pause.reason() == null ? "" : ": " + pause.reason())
                            + "; resume it first");
        }
        if (s.halt() != null) {
            throw new TriggerRefusedException(
                    TriggerRefusedException.Reason.HALTED,
                    "loop " + r.id() + " is halted (" + s.halt().kind() + ": "
                            + s.halt().detail() + "); resume it first");
        }
    }

    /** Asks the admission check; one that throws counts as unavailable (fail closed). */
    private Admission.Decision admit(Registered r) {
        try {
            return Objects.requireNonNull(admission.check(r.id(), r.spec().teamOrDefault()), "admission decision");
        } catch (RuntimeException e) {
            return Admission.Decision.unavailable("admission check failed: " + e.getMessage());
        }
    }

    /**
     * Takes the tick lease (with the slot, for a cadence/cron run), then publishes; gives both back if the
     * publish fails. An admission that caps the level (a budget in report-only) runs the tick's spec at that level,
     * so every downstream service enforces it.
     */
    private Event start(
            Registered r,
            TickTriggered.Trigger trigger,
            Instant now,
            SlotClaim claim,
            Instant previousLast,
            Admission.Decision admitted) {
        String tickId;
        synchronized (randomLock) {
            tickId = TICK_TIME.format(now) + "-" + String.format("%08x", random.nextInt());
        }
        LoopSpec spec = r.effective();
        String hash = r.hash();
        boolean writes = r.writes();
        if (admitted.levelCap() != null && spec.level().compareTo(admitted.levelCap()) > 0) {
            LOG.infof("tick %s of %s runs at %s: %s", tickId, spec.id(), admitted.levelCap(), admitted.reason());
            spec = spec.withLevel(admitted.levelCap());
            hash = LoopSpecReader.hash(spec);
            writes = writes && admitted.levelCap().compareTo(LoopSpec.Level.L1) > 0;
        }
        Event event = Event.of(
                SOURCE, now, spec.id(), tickId, spec.teamOrDefault(), 0, new TickTriggered(trigger, hash, spec));
        TickLease lease = new TickLease(
                spec.id(),
                tickId,
                spec.teamOrDefault(),
                r.repo(),
                writes,
                trigger.kind(),
                replicaId,
                now,
                now.plus(settings.tickTimeout()));
        Acquisition acquired = store.acquire(lease, claim);
        switch (acquired.result()) {
            case ACQUIRED -> {}
            case LOOP_BUSY -> throw new TriggerRefusedException(
                    TriggerRefusedException.Reason.TICK_IN_FLIGHT,
                    acquired.blocking() == null
                            ? "loop " + spec.id() + " has a tick in flight"
                            : "loop " + spec.id() + " has tick "
                                    + acquired.blocking().tickId() + " in flight since "
                                    + acquired.blocking().acquiredAt());
            case REPO_BUSY -> throw new TriggerRefusedException(
                    TriggerRefusedException.Reason.REPO_BUSY,
                    "repository " + r.repo() + " has a writing tick in flight ("
                            + acquired.blocking().tickId()
                            + " of loop " + acquired.blocking().loopId() + " since "
                            + acquired.blocking().acquiredAt() + "); one writing loop per repository at a time");
            case SLOT_TAKEN -> throw new TriggerRefusedException(
                    TriggerRefusedException.Reason.SLOT_TAKEN,
                    "run of " + spec.id() + " due at " + claim.slot() + " was taken by another replica");
            case HELD -> {
                refuseIfHeld(r, store.state(spec.id(), settings.anomalyWindow()).orElse(LoopState.empty(spec.id())));
                throw new TriggerRefusedException(
                        TriggerRefusedException.Reason.PAUSED, "loop " + spec.id() + " was paused meanwhile");
            }
        }
        try {
            publisher.publish(event);
        } catch (RuntimeException e) {
            store.giveBack(lease, claim, previousLast);
            throw new TriggerRefusedException(
                    TriggerRefusedException.Reason.PUBLISH_FAILED,
                    "cannot publish tick " + tickId + " of " + spec.id() + ": " + e.getMessage(),
                    e);
        }
        LOG.infof("triggered tick %s of %s (%s)", tickId, spec.id(), trigger.kind());
        return event;
    }

    /**
     * An operator pauses a loop: it is not triggered on cadence and manual triggers are refused until it is
     * resumed, on every replica and across restarts. A tick already in flight runs to its end. Pausing a paused
     * loop keeps the first pause.
     *
     * @throws TriggerRefusedException for an unknown loop
     */
    public LoopStatus pause(String loopId, String by, String reason) {
        requireKnown(loopId);
        if (store.pause(loopId, new LoopStatus.Pause(by, reason, now()))) {
            LOG.infof("loop %s paused by %s%s", loopId, by, reason == null ? "" : ": " + reason);
        }
        return statusOf(loopId);
    }

    /**
     * An operator resumes a loop: clears the operator's pause and an anomaly halt, and forgets the recent
     * outcomes so the loop starts a fresh window; the loop's next cadence run is placed as for a new loop
     * (within the first-run jitter). Resuming a loop that is neither paused nor halted changes nothing.
     *
     * @throws TriggerRefusedException for an unknown loop, or a loop paused by its spec file (which only an
     *     edit of the file can change)
     */
    public LoopStatus resume(String loopId, String by) {
        Registered r = requireKnown(loopId);
        if (r != null && r.spec().isPaused()) {
            throw new TriggerRefusedException(
                    TriggerRefusedException.Reason.PAUSED,
                    "loop " + loopId + " is paused by its spec file "
                            + r.loaded().file() + "; set paused: false there");
        }
        Instant next = r != null && r.runsOnSchedule() ? first(r, now()) : null;
        if (store.resume(loopId, next)) {
            LOG.infof("loop %s resumed by %s", loopId, by);
        }
        return statusOf(loopId);
    }

    /** A tick completed: its loop may run again. Unknown or stale ticks are ignored. */
    public void completed(String loopId, String tickId) {
        completed(loopId, tickId, null);
    }

    /**
     * A tick completed with an outcome: its lease is released so its loop may run again, and the outcome joins
     * the loop's recent outcomes; a stall or an oscillation halts the loop until an operator resumes it. A
     * completion already recorded (a redelivery) counts once; completions of unknown loops are ignored.
     */
    public void completed(String loopId, String tickId, TickCompleted.Outcome outcome) {
        if (store.release(tickId)) {
            LOG.debugf("tick %s of %s completed", tickId, loopId);
        }
        if (outcome == null || !registry.knows(loopId)) {
            return;
        }
        Optional<List<TickCompleted.Outcome>> window =
                store.recordOutcome(loopId, tickId, outcome, now(), settings.anomalyWindow());
        if (window.isEmpty()) {
            return;
        }
        anomalies.detect(window.get()).ifPresent(a -> {
            if (store.halt(loopId, new LoopStatus.Halt(a.kind().wireName(), a.detail(), now()))) {
                LOG.warnf("loop %s halted (%s): %s", loopId, a.kind().wireName(), a.detail());
            }
        });
    }

    /** The valid loops' specs as declared (before any level cap), from the last reload; no file is read. */
    public List<LoopSpec> specs() {
        return registry.loops().values().stream().map(Registered::spec).toList();
    }

    public List<LoopStatus> loops() {
        Registry reg = registry;
        Instant now = now();
        Map<String, LoopState> states = store.states(settings.anomalyWindow());
        Map<String, TickLease> leases = leasesByLoop(now);
        List<LoopStatus> all = new ArrayList<>();
        reg.loops().values().forEach(r -> all.add(status(r, states.get(r.id()), leases.get(r.id()))));
        reg.invalid().forEach(i -> all.add(status(i, states.get(i.id()), leases.get(i.id()))));
        return all;
    }

    public Optional<LoopStatus> loop(String id) {
        if (!registry.knows(id)) {
            return Optional.empty();
        }
        return Optional.of(statusOf(id));
    }

    /** How many ticks are in flight across all replicas now. */
    public int ticksInFlight() {
        return store.liveLeases(now()).size();
    }

    private Map<String, TickLease> leasesByLoop(Instant now) {
        Map<String, TickLease> byLoop = new HashMap<>();
        store.liveLeases(now).forEach(l -> byLoop.put(l.loopId(), l));
        return byLoop;
    }

    /** The registered loop, {@code null} for a known loop whose spec is invalid; throws for an unknown one. */
    private Registered requireKnown(String loopId) {
        Registry reg = registry;
        if (!reg.knows(loopId)) {
            throw new TriggerRefusedException(TriggerRefusedException.Reason.UNKNOWN_LOOP, "no loop " + loopId);
        }
        return reg.loops().get(loopId);
    }

    private LoopStatus statusOf(String loopId) {
        Registry reg = registry;
        Instant now = now();
        LoopState s = store.state(loopId, settings.anomalyWindow()).orElse(null);
        TickLease lease = leasesByLoop(now).get(loopId);
        Registered r = reg.loops().get(loopId);
        if (r != null) {
            return status(r, s, lease);
        }
        return status(reg.invalid(loopId).orElseThrow(), s, lease);
    }

    private static List<String> recentOutcomes(LoopState s) {
        return s == null
                ? List.of()
                : s.recentOutcomes().stream()
                        .map(TickCompleted.Outcome::wireName)
                        .toList();
    }

    private static LoopStatus.Pause pauseOf(Registered r, LoopState s) {
        if (s != null && s.pause() != null) {
            return s.pause();
        }
        if (r != null && r.spec().isPaused()) {
            return new LoopStatus.Pause("spec", "paused: true in " + r.loaded().file(), null);
        }
        return null;
    }

    private Instant first(Registered r, Instant now) {
        synchronized (randomLock) {
            return r.timing().first(now, settings.firstRunJitter(), random);
        }
    }

    private Instant after(Registered r, Instant from) {
        synchronized (randomLock) {
            return r.timing().after(from, random);
        }
    }

    /** The scheduler's clock to the microsecond, the precision the store keeps. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static LoopStatus status(Registered r, LoopState s, TickLease lease) {
        LoopSpec spec = r.spec();
        LoopStatus.Pause pause = pauseOf(r, s);
        return new LoopStatus(
                spec.id(),
                spec.teamOrDefault(),
                spec.kind(),
                spec.level(),
                spec.level(),
                r.level().effective(),
                r.level().reason(),
                r.level().runnable(),
                spec.cadence(),
                spec.cron(),
                spec.cron() == null && spec.pauseWindows() == null ? null : spec.timezoneOrDefault(),
                r.loaded().file().toString(),
                r.loaded().hash(),
                true,
                List.of(),
                pause != null,
                pause,
                s == null ? null : s.halt(),
                recentOutcomes(s),
                s == null || !r.runsOnSchedule() ? null : s.nextRunAt(),
                s == null ? null : s.lastTriggeredAt(),
                lease == null ? null : lease.tickId(),
                s == null ? null : s.lastRefusal());
    }

    private static LoopStatus status(Invalid i, LoopState s, TickLease lease) {
        return new LoopStatus(
                i.id(),
                null,
                null,
                null,
                null,
                null,
                null,
                false,
                null,
                null,
                null,
                i.file(),
                null,
                false,
                i.problems().stream()
                        .map(p -> new LoopStatus.Problem(p.file(), p.field(), p.message()))
                        .toList(),
                s != null && s.pause() != null,
                s == null ? null : s.pause(),
                s == null ? null : s.halt(),
                recentOutcomes(s),
                null,
                s == null ? null : s.lastTriggeredAt(),
                lease == null ? null : lease.tickId(),
                s == null ? null : s.lastRefusal());
    }

    /** The {@code id} an invalid file declares, if it can be read at all, else its name without extension. */
    private static String idOf(String file) {
        try {
            JsonNode node = YAML.readTree(Path.of(file).toFile());
            if (node != null
                    && node.path("id").isTextual()
                    && !node.path("id").asText().isBlank()) {
                return node.path("id").asText();
            }
        } catch (Exception ignored) {
            // unreadable or not YAML: fall back to the file name
        }
        String name = Path.of(file).getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
