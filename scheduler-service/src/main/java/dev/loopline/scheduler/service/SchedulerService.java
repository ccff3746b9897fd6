package dev.loopline.scheduler.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.loopline.core.plan.SpecAuditor;
import dev.loopline.core.schedule.AnomalyDetector;
import dev.loopline.core.spec.LoadedSpec;
import dev.loopline.core.spec.LoopSpecReader;
import dev.loopline.core.spec.SpecLoadResult;
import dev.loopline.core.spec.SpecProblem;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.schemas.spec.LoopSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.jboss.logging.Logger;

/**
 * The loop registry and trigger logic. Specs come from a directory that is read again periodically; loops
 * run on their cadence or cron outside their pause windows (never when paused, halted or at L0) and on
 * demand, with at most one tick in flight per loop, tracked in memory until its TickCompleted arrives or the
 * tick timeout passes.
 *
 * <p>Single replica only in this version: the in-flight set lives in this process. The Postgres-backed
 * collision guard and leadership across replicas come later.
 */
public class SchedulerService {

    static final String SOURCE = "scheduler-service";
    private static final Logger LOG = Logger.getLogger(SchedulerService.class);
    private static final DateTimeFormatter TICK_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Settings; see {@code SchedulerConfig}. */
    public record Settings(
            Path specDir,
            Duration tickTimeout,
            Duration firstRunJitter,
            LevelEnforcement levelEnforcement,
            int anomalyWindow) {

        public Settings {
            if (anomalyWindow < AnomalyDetector.MIN_WINDOW) {
                throw new IllegalArgumentException("loopline.scheduler.anomaly.window must be at least "
                        + AnomalyDetector.MIN_WINDOW + " to see both anomalies, got " + anomalyWindow);
            }
        }

        /** Defaults for what is not given: levels capped, anomaly window of 4. */
        public Settings(Path specDir, Duration tickTimeout, Duration firstRunJitter) {
            this(specDir, tickTimeout, firstRunJitter, LevelEnforcement.CAP, AnomalyDetector.MIN_WINDOW);
        }

        public Settings(
                Path specDir, Duration tickTimeout, Duration firstRunJitter, LevelEnforcement levelEnforcement) {
            this(specDir, tickTimeout, firstRunJitter, levelEnforcement, AnomalyDetector.MIN_WINDOW);
        }
    }

    /** One recorded tick outcome; the tick id makes a redelivered completion count once. */
    private record Recorded(String tickId, TickCompleted.Outcome outcome) {}

    /**
     * A valid loop: the spec as declared, and the spec it runs with, at the level enforcement allows (the one
     * emitted on every tick, so downstream services enforce that level too).
     */
    private record Registered(
            LoadedSpec loaded, LoopTiming timing, LevelEnforcement.Decision level, LoopSpec effective, String hash) {

        static Registered of(LoadedSpec loaded, LoopTiming timing, LevelEnforcement.Decision level) {
            LoopSpec spec = loaded.spec();
            if (level.effective() == null || level.effective() == spec.level()) {
                return new Registered(loaded, timing, level, spec, loaded.hash());
            }
            LoopSpec capped = spec.withLevel(level.effective());
            return new Registered(loaded, timing, level, capped, LoopSpecReader.hash(capped));
        }

        LoopSpec spec() {
            return loaded.spec();
        }

        /** Whether the loop runs by itself (cadence or cron): not paused in its spec, runnable, above L0. */
        boolean runsOnSchedule() {
            return timing.scheduled()
                    && !spec().isPaused()
                    && level.runnable()
                    && level.effective() != LoopSpec.Level.L0;
        }
    }

    private record Invalid(String id, String file, List<SpecProblem> problems) {}

    /** Trigger state of one loop id; survives reloads, including a spec turning invalid and back. */
    private static final class Schedule {
        LoopTiming timing;
        Instant nextRunAt;
        Instant lastTriggeredAt;
        String inFlightTickId;
        Instant inFlightSince;
        /** An operator's pause (in memory); {@code null} when not paused by an operator. */
        LoopStatus.Pause pause;
        /** Why the loop was halted (stall, oscillation); {@code null} when it runs. Cleared by resume. */
        LoopStatus.Halt halt;
        /** The most recent outcomes, oldest first, at most the anomaly window. */
        final ArrayDeque<Recorded> outcomes = new ArrayDeque<>();

        boolean held() {
            return pause != null || halt != null;
        }
    }

    private record Reservation(Event event, Schedule schedule, Instant previousNextRunAt, Instant previousLast) {}

    private final LoopSpecReader reader;
    private final SpecAuditor auditor = new SpecAuditor();
    private final AnomalyDetector anomalies = new AnomalyDetector();
    private final Settings settings;
    private final Clock clock;
    private final RandomGenerator random;
    private final TickPublisher publisher;

    private final Object lock = new Object();
    private Map<String, Registered> loops = Map.of();
    private List<Invalid> invalid = List.of();
    private final Map<String, Schedule> schedules = new HashMap<>();

    public SchedulerService(
            LoopSpecReader reader, Settings settings, Clock clock, RandomGenerator random, TickPublisher publisher) {
        this.reader = reader;
        this.settings = settings;
        this.clock = clock;
        this.random = random;
        this.publisher = publisher;
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

        synchronized (lock) {
            Instant now = clock.instant();
            for (Registered r : next.values()) {
                Registered before = loops.get(r.spec().id());
                if (before == null) {
                    LOG.infof(
                            "loop %s registered from %s (hash %s)",
                            r.spec().id(), r.loaded().file(), r.loaded().hash());
                } else if (!before.loaded().hash().equals(r.loaded().hash())) {
                    LOG.infof(
                            "loop %s changed (hash %s -> %s)",
                            r.spec().id(), before.loaded().hash(), r.loaded().hash());
                }
                if (r.level().reason() != null && (before == null || !r.level().equals(before.level()))) {
                    LOG.warnf("loop %s: %s", r.spec().id(), r.level().reason());
                }
                Schedule s = schedules.computeIfAbsent(r.spec().id(), id -> new Schedule());
                boolean timingChanged = !r.timing().equals(s.timing);
                s.timing = r.timing();
                if (!r.runsOnSchedule() || s.held()) {
                    s.nextRunAt = null;
                } else if (s.nextRunAt == null || timingChanged) {
                    s.nextRunAt = s.lastTriggeredAt == null || r.timing().cron() != null
                            ? r.timing().first(now, settings.firstRunJitter(), random)
                            : r.timing().after(s.lastTriggeredAt, random);
                }
            }
            for (Invalid i : nextInvalid) {
                if (invalid.stream()
                        .noneMatch(old ->
                                old.file().equals(i.file()) && old.problems().equals(i.problems()))) {
                    LOG.warnf("invalid loop spec %s: %s", i.file(), i.problems());
                }
            }
            loops = next;
            invalid = List.copyOf(nextInvalid);
        }
    }

    /** Triggers every loop whose next run is due and that has no tick in flight; returns the triggered ticks. */
    public List<Event> runDue() {
        List<Reservation> reserved = new ArrayList<>();
        synchronized (lock) {
            Instant now = clock.instant();
            for (Registered r : loops.values()) {
                Schedule s = schedules.get(r.spec().id());
                if (!r.runsOnSchedule() || s == null || s.held() || s.nextRunAt == null || s.nextRunAt.isAfter(now)) {
                    continue;
                }
                expireInFlight(r.spec().id(), s, now);
                if (s.inFlightTickId != null) {
                    // collision: skip this run rather than queue it behind the running tick
                    LOG.infof(
                            "loop %s is due but tick %s is still in flight; skipping this run",
                            r.spec().id(), s.inFlightTickId);
                    s.nextRunAt = r.timing().after(now, random);
                    continue;
                }
                TickTriggered.Trigger trigger = r.timing().trigger(s.nextRunAt);
                reserved.add(reserve(r, s, trigger, now, r.timing().after(now, random)));
            }
        }
        List<Event> published = new ArrayList<>();
        for (Reservation reservation : reserved) {
            try {
                publish(reservation);
                published.add(reservation.event());
            } catch (TriggerRefusedException e) {
                LOG.warnf("%s; will retry at the next due check", e.getMessage());
            }
        }
        return published;
    }

    /**
     * Triggers a loop now, whatever its cadence.
     *
     * @param by who asked, recorded as {@code trigger.by}
     * @throws TriggerRefusedException for an unknown loop, an invalid spec, a loop not ready for its level
     *     (refused), an L0 (plan-only), paused or halted loop, a tick in flight, or when the event cannot be
     *     published
     */
    public Event triggerManually(String loopId, String by) {
        return trigger(loopId, TickTriggered.Trigger.manual(by));
    }

    /**
     * Triggers a loop now because an event it listens to happened (a webhook delivery): the manual-trigger
     * path, refused for the same reasons, with the event's trigger (kind {@code webhook}) on the tick.
     *
     * @throws TriggerRefusedException as {@link #triggerManually}
     */
    public Event triggerByEvent(String loopId, TickTriggered.Trigger trigger) {
        return trigger(loopId, trigger);
    }

    private Event trigger(String loopId, TickTriggered.Trigger trigger) {
        Reservation reservation;
        synchronized (lock) {
            Registered r = loops.get(loopId);
            if (r == null) {
                Optional<Invalid> bad =
                        invalid.stream().filter(i -> i.id().equals(loopId)).findFirst();
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
            Instant now = clock.instant();
            Schedule s = schedules.computeIfAbsent(loopId, id -> new Schedule());
            LoopStatus.Pause pause = pauseOf(r, s);
            if (pause != null) {
                throw new TriggerRefusedException(
                        TriggerRefusedException.Reason.PAUSED,
                        "loop " + loopId + " is paused" + (pause.reason() == null ? "" : ": " + pause.reason())
                                + "; resume it first");
            }
            if (s.halt != null) {
                throw new TriggerRefusedException(
                        TriggerRefusedException.Reason.HALTED,
                        "loop " + loopId + " is halted (" + s.halt.kind() + ": " + s.halt.detail()
                                + "); resume it first");
            }
            expireInFlight(loopId, s, now);
            if (s.inFlightTickId != null) {
                throw new TriggerRefusedException(
                        TriggerRefusedException.Reason.TICK_IN_FLIGHT,
                        "loop " + loopId + " has tick " + s.inFlightTickId + " in flight since " + s.inFlightSince);
            }
            reservation = reserve(r, s, trigger, now, s.nextRunAt);
        }
        publish(reservation);
        return reservation.event();
    }

    /**
     * An operator pauses a loop: it is not triggered on cadence and manual triggers are refused until it is
     * resumed. A tick already in flight runs to its end. Pausing a paused loop keeps the first pause.
     *
     * @throws TriggerRefusedException for an unknown loop
     */
    public LoopStatus pause(String loopId, String by, String reason) {
        synchronized (lock) {
            requireKnown(loopId);
            Schedule s = schedules.computeIfAbsent(loopId, id -> new Schedule());
            if (s.pause == null) {
                s.pause = new LoopStatus.Pause(by, reason, clock.instant());
                s.nextRunAt = null;
                LOG.infof("loop %s paused by %s%s", loopId, by, reason == null ? "" : ": " + reason);
            }
            return statusOf(loopId);
        }
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
        synchronized (lock) {
            Registered r = requireKnown(loopId);
            if (r != null && r.spec().isPaused()) {
                throw new TriggerRefusedException(
                        TriggerRefusedException.Reason.PAUSED,
                        "loop " + loopId + " is paused by its spec file "
                                + r.loaded().file() + "; set paused: false there");
            }
            Schedule s = schedules.computeIfAbsent(loopId, id -> new Schedule());
            if (s.held()) {
                s.pause = null;
                s.halt = null;
                s.outcomes.clear();
                LOG.infof("loop %s resumed by %s", loopId, by);
                if (r != null && r.runsOnSchedule()) {
                    s.nextRunAt = r.timing().first(clock.instant(), settings.firstRunJitter(), random);
                }
            }
            return statusOf(loopId);
        }
    }

    /** A tick completed: its loop may run again. Unknown or stale ticks are ignored. */
    public void completed(String loopId, String tickId) {
        completed(loopId, tickId, null);
    }

    /**
     * A tick completed with an outcome: its loop may run again, and the outcome joins the loop's recent
     * outcomes; a stall or an oscillation halts the loop until an operator resumes it. A completion already
     * recorded (a redelivery) counts once; completions of unknown loops are ignored.
     */
    public void completed(String loopId, String tickId, TickCompleted.Outcome outcome) {
        synchronized (lock) {
            Schedule s = schedules.get(loopId);
            if (s == null) {
                return;
            }
            if (tickId.equals(s.inFlightTickId)) {
                s.inFlightTickId = null;
                s.inFlightSince = null;
                LOG.debugf("tick %s of %s completed", tickId, loopId);
            }
            if (outcome == null || s.outcomes.stream().anyMatch(r -> r.tickId().equals(tickId))) {
                return;
            }
            s.outcomes.addLast(new Recorded(tickId, outcome));
            while (s.outcomes.size() > settings.anomalyWindow()) {
                s.outcomes.removeFirst();
            }
            if (s.halt == null) {
                anomalies
                        .detect(s.outcomes.stream().map(Recorded::outcome).toList())
                        .ifPresent(a -> {
                            s.halt = new LoopStatus.Halt(a.kind().wireName(), a.detail(), clock.instant());
                            s.nextRunAt = null;
                            LOG.warnf(
                                    "loop %s halted (%s): %s", loopId, a.kind().wireName(), a.detail());
                        });
            }
        }
    }

    public List<LoopStatus> loops() {
        synchronized (lock) {
            Instant now = clock.instant();
            List<LoopStatus> all = new ArrayList<>();
            loops.values().forEach(r -> all.add(status(r, now)));
            invalid.forEach(i -> all.add(status(i)));
            return all;
        }
    }

    /** The registered loop, {@code null} for a known loop whose spec is invalid; throws for an unknown one. */
    private Registered requireKnown(String loopId) {
        Registered r = loops.get(loopId);
        if (r == null && invalid.stream().noneMatch(i -> i.id().equals(loopId))) {
            throw new TriggerRefusedException(TriggerRefusedException.Reason.UNKNOWN_LOOP, "no loop " + loopId);
        }
        return r;
    }

    private LoopStatus statusOf(String loopId) {
        Registered r = loops.get(loopId);
        if (r != null) {
            return status(r, clock.instant());
        }
        return invalid.stream()
                .filter(i -> i.id().equals(loopId))
                .findFirst()
                .map(this::status)
                .orElseThrow();
    }

    private static List<String> recentOutcomes(Schedule s) {
        return s == null
                ? List.of()
                : s.outcomes.stream().map(r -> r.outcome().wireName()).toList();
    }

    private static LoopStatus.Pause pauseOf(Registered r, Schedule s) {
        if (s != null && s.pause != null) {
            return s.pause;
        }
        if (r != null && r.spec().isPaused()) {
            return new LoopStatus.Pause("spec", "paused: true in " + r.loaded().file(), null);
        }
        return null;
    }

    public Optional<LoopStatus> loop(String id) {
        synchronized (lock) {
            Registered r = loops.get(id);
            if (r != null) {
                return Optional.of(status(r, clock.instant()));
            }
            return invalid.stream().filter(i -> i.id().equals(id)).findFirst().map(this::status);
        }
    }

    private Reservation reserve(
            Registered r, Schedule s, TickTriggered.Trigger trigger, Instant now, Instant nextRunAt) {
        String tickId = TICK_TIME.format(now) + "-" + String.format("%08x", random.nextInt());
        LoopSpec spec = r.effective();
        Event event = Event.of(
                SOURCE, now, spec.id(), tickId, spec.teamOrDefault(), 0, new TickTriggered(trigger, r.hash(), spec));
        Reservation reservation = new Reservation(event, s, s.nextRunAt, s.lastTriggeredAt);
        s.inFlightTickId = tickId;
        s.inFlightSince = now;
        s.lastTriggeredAt = now;
        s.nextRunAt = nextRunAt;
        return reservation;
    }

    private void publish(Reservation reservation) {
        Event event = reservation.event();
        try {
            publisher.publish(event);
            LOG.infof(
                    "triggered tick %s of %s (%s)",
                    event.tickId(),
                    event.loopId(),
                    event.dataAs(TickTriggered.class).trigger().kind());
        } catch (RuntimeException e) {
            synchronized (lock) {
                Schedule s = reservation.schedule();
                if (event.tickId().equals(s.inFlightTickId)) {
                    s.inFlightTickId = null;
                    s.inFlightSince = null;
                    s.lastTriggeredAt = reservation.previousLast();
                    s.nextRunAt = reservation.previousNextRunAt();
                }
            }
            throw new TriggerRefusedException(
                    TriggerRefusedException.Reason.PUBLISH_FAILED,
                    "cannot publish tick " + event.tickId() + " of " + event.loopId() + ": " + e.getMessage(),
                    e);
        }
    }

    private void expireInFlight(String loopId, Schedule s, Instant now) {
        if (s.inFlightTickId != null
                && !s.inFlightSince.plus(settings.tickTimeout()).isAfter(now)) {
            LOG.warnf(
                    "tick %s of %s did not complete within %s; the loop may run again",
                    s.inFlightTickId, loopId, settings.tickTimeout());
            s.inFlightTickId = null;
            s.inFlightSince = null;
        }
    }

    private LoopStatus status(Registered r, Instant now) {
        LoopSpec spec = r.spec();
        Schedule s = schedules.get(spec.id());
        if (s != null) {
            expireInFlight(spec.id(), s, now);
        }
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
                pauseOf(r, s) != null,
                pauseOf(r, s),
                s == null ? null : s.halt,
                recentOutcomes(s),
                s == null ? null : s.nextRunAt,
                s == null ? null : s.lastTriggeredAt,
                s == null ? null : s.inFlightTickId);
    }

    private LoopStatus status(Invalid i) {
        Schedule s = schedules.get(i.id());
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
                i.problems(),
                s != null && s.pause != null,
                s == null ? null : s.pause,
                s == null ? null : s.halt,
                recentOutcomes(s),
                null,
                s == null ? null : s.lastTriggeredAt,
                s == null ? null : s.inFlightTickId);
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
