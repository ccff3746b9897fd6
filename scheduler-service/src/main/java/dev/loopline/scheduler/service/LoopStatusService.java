package dev.loopline.scheduler.service;

import dev.loopline.scheduler.service.SchedulerStore.LoopState;
import dev.loopline.scheduler.service.SchedulerStore.TickLease;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.http.LoopStatus;
import dev.loopline.schemas.spec.LoopSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the scheduler's read endpoints show: every loop's {@link LoopStatus} — the registry read last joined with what
 * the {@link SchedulerStore} holds (pause, halt, recent outcomes, next slot, tick in flight, last refusal) — the same
 * on every replica; and how many ticks are in flight.
 */
@ApplicationScoped
public class LoopStatusService {

    private final SchedulerSettings settings;
    private final SchedulerStore store;
    private final SchedulerState state;

    public LoopStatusService(SchedulerSettings settings, SchedulerStore store, SchedulerState state) {
        this.settings = settings;
        this.store = store;
        this.state = state;
    }

    /** Every loop, the invalid ones with their problems. */
    public List<LoopStatus> loops() {
        LoopCatalog catalog = state.catalog();
        Instant now = state.now();
        Map<String, LoopState> states = store.states(settings.anomalyWindow());
        Map<String, TickLease> leases = leasesByLoop(now);
        List<LoopStatus> all = new ArrayList<>();
        catalog.loops().values().forEach(r -> all.add(status(r, states.get(r.id()), leases.get(r.id()))));
        catalog.invalid().forEach(i -> all.add(status(i, states.get(i.id()), leases.get(i.id()))));
        return all;
    }

    /** One loop; empty when the registry does not know it. */
    public Optional<LoopStatus> loop(String id) {
        if (!state.catalog().knows(id)) {
            return Optional.empty();
        }
        return Optional.of(statusOf(id));
    }

    /** How many ticks are in flight across all replicas now. */
    public int ticksInFlight() {
        return store.liveLeases(state.now()).size();
    }

    /** The status of a loop the registry knows. */
    LoopStatus statusOf(String loopId) {
        LoopCatalog catalog = state.catalog();
        Instant now = state.now();
        LoopState s = store.state(loopId, settings.anomalyWindow()).orElse(null);
        TickLease lease = leasesByLoop(now).get(loopId);
        RegisteredLoop r = catalog.loops().get(loopId);
        if (r != null) {
            return status(r, s, lease);
        }
        return status(catalog.invalid(loopId).orElseThrow(), s, lease);
    }

    private Map<String, TickLease> leasesByLoop(Instant now) {
        Map<String, TickLease> byLoop = new HashMap<>();
        store.liveLeases(now).forEach(l -> byLoop.put(l.loopId(), l));
        return byLoop;
    }

    private static List<String> recentOutcomes(LoopState s) {
        return s == null
                ? List.of()
                : s.recentOutcomes().stream()
                        .map(TickCompleted.Outcome::wireName)
                        .toList();
    }

    private static LoopStatus status(RegisteredLoop r, LoopState s, TickLease lease) {
        LoopSpec spec = r.spec();
        LoopStatus.Pause pause = r.pause(s);
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

    private static LoopStatus status(LoopCatalog.Invalid i, LoopState s, TickLease lease) {
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
}
