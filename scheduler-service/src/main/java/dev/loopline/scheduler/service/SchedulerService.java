package dev.loopline.scheduler.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.loopline.core.schedule.Cadence;
import dev.loopline.core.spec.LoadedSpec;
import dev.loopline.core.spec.LoopSpecReader;
import dev.loopline.core.spec.SpecLoadResult;
import dev.loopline.core.spec.SpecProblem;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.schemas.spec.LoopSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
 * run on their cadence (never when paused or at L0) and on demand, with at most one tick in flight per
 * loop, tracked in memory until its TickCompleted arrives or the tick timeout passes.
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
    public record Settings(Path specDir, Duration tickTimeout, Duration firstRunJitter) {}

    private record Registered(LoadedSpec loaded, Cadence cadence) {
        LoopSpec spec() {
            return loaded.spec();
        }

        boolean runsOnCadence() {
            return cadence != null && !spec().isPaused() && spec().level() != LoopSpec.Level.L0;
        }
    }

    private record Invalid(String id, String file, List<SpecProblem> problems) {}

    /** Trigger state of one loop id; survives reloads, including a spec turning invalid and back. */
    private static final class Schedule {
        Cadence cadence;
        Instant nextRunAt;
        Instant lastTriggeredAt;
        String inFlightTickId;
        Instant inFlightSince;
    }

    private record Reservation(Event event, Schedule schedule, Instant previousNextRunAt, Instant previousLast) {}

    private final LoopSpecReader reader;
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
            String cadenceText = loaded.spec().cadence();
            Cadence cadence = null;
            if (cadenceText != null) {
                try {
                    cadence = Cadence.parse(cadenceText);
                } catch (IllegalArgumentException e) {
                    String file = loaded.file().toString();
                    problemsByFile
                            .computeIfAbsent(file, f -> new ArrayList<>())
                            .add(new SpecProblem(file, "$.cadence", e.getMessage()));
                    continue;
                }
            }
            next.put(loaded.spec().id(), new Registered(loaded, cadence));
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
                Schedule s = schedules.computeIfAbsent(r.spec().id(), id -> new Schedule());
                boolean cadenceChanged = s.cadence == null ? r.cadence() != null : !s.cadence.equals(r.cadence());
                s.cadence = r.cadence();
                if (!r.runsOnCadence()) {
                    s.nextRunAt = null;
                } else if (s.nextRunAt == null || cadenceChanged) {
                    s.nextRunAt = s.lastTriggeredAt == null
                            ? firstRun(now, r.cadence())
                            : r.cadence().next(s.lastTriggeredAt, random);
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
                if (!r.runsOnCadence() || s == null || s.nextRunAt == null || s.nextRunAt.isAfter(now)) {
                    continue;
                }
                expireInFlight(r.spec().id(), s, now);
                if (s.inFlightTickId != null) {
                    // collision: skip this run rather than queue it behind the running tick
                    LOG.infof(
                            "loop %s is due but tick %s is still in flight; skipping this run",
                            r.spec().id(), s.inFlightTickId);
                    s.nextRunAt = r.cadence().next(now, random);
                    continue;
                }
                TickTriggered.Trigger trigger = TickTriggered.Trigger.cadence(s.nextRunAt);
                reserved.add(reserve(r, s, trigger, now, r.cadence().next(now, random)));
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
     * Triggers a loop now, whatever its cadence (paused and L0 loops too: a person asked).
     *
     * @param by who asked, recorded as {@code trigger.by}
     * @throws TriggerRefusedException for an unknown loop, an invalid spec, a tick in flight, or when the
     *     event cannot be published
     */
    public Event triggerManually(String loopId, String by) {
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
            Instant now = clock.instant();
            Schedule s = schedules.computeIfAbsent(loopId, id -> new Schedule());
            expireInFlight(loopId, s, now);
            if (s.inFlightTickId != null) {
                throw new TriggerRefusedException(
                        TriggerRefusedException.Reason.TICK_IN_FLIGHT,
                        "loop " + loopId + " has tick " + s.inFlightTickId + " in flight since " + s.inFlightSince);
            }
            reservation = reserve(r, s, TickTriggered.Trigger.manual(by), now, s.nextRunAt);
        }
        publish(reservation);
        return reservation.event();
    }

    /** A tick completed: its loop may run again. Unknown or stale ticks are ignored. */
    public void completed(String loopId, String tickId) {
        synchronized (lock) {
            Schedule s = schedules.get(loopId);
            if (s != null && tickId.equals(s.inFlightTickId)) {
                s.inFlightTickId = null;
                s.inFlightSince = null;
                LOG.debugf("tick %s of %s completed", tickId, loopId);
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
        LoopSpec spec = r.spec();
        Event event = Event.of(
                SOURCE,
                now,
                spec.id(),
                tickId,
                spec.teamOrDefault(),
                0,
                new TickTriggered(trigger, r.loaded().hash(), spec));
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

    private Instant firstRun(Instant now, Cadence cadence) {
        long boundMillis =
                Math.min(cadence.min().toMillis(), settings.firstRunJitter().toMillis());
        return boundMillis <= 0 ? now : now.plusMillis(random.nextLong(boundMillis + 1));
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
                spec.cadence(),
                r.loaded().file().toString(),
                r.loaded().hash(),
                true,
                List.of(),
                spec.isPaused(),
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
                i.file(),
                null,
                false,
                i.problems(),
                false,
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
