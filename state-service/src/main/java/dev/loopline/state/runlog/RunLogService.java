package dev.loopline.state.runlog;

import dev.loopline.schemas.events.Event;
import dev.loopline.state.control.ControlService;
import dev.loopline.state.loop.LoopMemoryService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Records tick events in the run log and folds them into the tick timeline, exactly once per event id. */
@ApplicationScoped
public class RunLogService {

    @Inject
    RunEventRepository runEvents;

    @Inject
    TickRepository ticks;

    @Inject
    LoopMemoryService memory;

    @Inject
    ControlService control;

    @Inject
    Clock clock;

    /**
     * Appends the event and updates its tick in one transaction. A duplicate (same event id) changes
     * nothing, not even the tick's {@code updated_at}.
     *
     * @param dataJson the event's {@code data} exactly as received, kept verbatim in the run log
     * @return true when the event was new
     */
    @Transactional
    public boolean record(Event event, String dataJson, MessageOrigin origin) {
        if (!runEvents.insertIfAbsent(event, dataJson, origin)) {
            return false;
        }
        TickEntity tick =
                ticks.lockOrCreate(event.tickId(), event.loopId(), event.team(), event.time(), clock.instant());
        TickProjection.apply(tick, event);
        tick.updatedAt = clock.instant();
        memory.onRecorded(event);
        control.onRecorded(event);
        return true;
    }

    /**
     * {@link #record} for a batch, in one transaction and a fixed number of statements: appends every event not
     * stored yet, then creates and locks the ticks of the new events in tick-id order (so concurrent writers cannot
     * deadlock), folds the new events in (in the order given, as one-by-one recording would) and writes the ticks
     * back. Duplicates change nothing. An event id that occurs twice in the batch counts once.
     *
     * @return the events that were new, in the order given
     */
    @Transactional
    public List<IncomingEvent> recordAll(List<IncomingEvent> events) {
        Map<UUID, IncomingEvent> distinct = new LinkedHashMap<>();
        events.forEach(e -> distinct.putIfAbsent(e.event().id(), e));
        List<IncomingEvent> inserted = runEvents.insertAllIfAbsent(new ArrayList<>(distinct.values()));
        if (inserted.isEmpty()) {
            return inserted;
        }
        TreeMap<String, TickRepository.NewTick> newTicks = new TreeMap<>();
        for (IncomingEvent incoming : inserted) {
            Event event = incoming.event();
            newTicks.merge(
                    event.tickId(),
                    new TickRepository.NewTick(event.tickId(), event.loopId(), event.team(), event.time()),
                    (a, b) -> b.firstSeen().isBefore(a.firstSeen()) ? b : a);
        }
        Instant now = clock.instant();
        Map<String, TickEntity> locked = ticks.lockOrCreateAll(new ArrayList<>(newTicks.values()), now);
        for (IncomingEvent incoming : inserted) {
            TickEntity tick = locked.get(incoming.event().tickId());
            TickProjection.apply(tick, incoming.event());
            tick.updatedAt = now;
        }
        ticks.updateAll(locked.values());
        // a grounded triage report moves the loop's cursor in the same transaction as its run-log row
        inserted.forEach(incoming -> memory.onRecorded(incoming.event()));
        // an approval decision joins the control log in the same transaction as its run-log row
        inserted.forEach(incoming -> control.onRecorded(incoming.event()));
        return inserted;
    }
}
