package dev.loopline.state.service;

import dev.loopline.schemas.events.Event;
import dev.loopline.state.repository.RunEventRepository;
import dev.loopline.state.repository.TickEntity;
import dev.loopline.state.repository.TickRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;

/** Records tick events in the run log and folds them into the tick timeline, exactly once per event id. */
@ApplicationScoped
public class RunLogService {

    @Inject
    RunEventRepository runEvents;

    @Inject
    TickRepository ticks;

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
        return true;
    }
}
