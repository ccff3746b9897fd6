package dev.loopline.state.runlog;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Read side of the run log: tick listings, a tick's timeline, loops and dead letters. */
@ApplicationScoped
public class TickQueryService {

    /** Events of one attempt that share a timestamp are shown in the order of a tick's life. */
    private static final Comparator<RunEventEntity> TIMELINE_ORDER = Comparator.comparing((RunEventEntity e) -> e.time)
            .thenComparingInt(e -> e.attempt)
            .thenComparingInt(e -> TickProjection.stageRank(e.type))
            .thenComparing(e -> e.receivedAt);

    @Inject
    TickRepository ticks;

    @Inject
    RunEventRepository runEvents;

    @Inject
    DeadLetterRepository deadLetters;

    @Inject
    TickCost cost;

    /** A page of at most {@code limit} ticks and the cursor of the next page, if there is one. */
    public record Page(List<TickEntity> items, Optional<TickCursor> next) {}

    public Page ticks(TickFilter filter, TickCursor after, int limit) {
        List<TickEntity> rows = ticks.page(filter, after, limit + 1);
        if (rows.size() <= limit) {
            return new Page(rows, Optional.empty());
        }
        List<TickEntity> shown = rows.subList(0, limit);
        return new Page(shown, Optional.of(TickCursor.after(shown.get(limit - 1))));
    }

    /** A tick and its ordered events, consistent with each other. */
    public record Detail(TickEntity tick, List<RunEventEntity> timeline, Optional<BigDecimal> costUsd) {}

    /**
     * Reads the tick with a share lock first: a writer holds the tick row locked from before its event is
     * visible until commit, so the timeline read afterwards contains exactly the events folded into the row.
     */
    @Transactional
    public Optional<Detail> detail(String tickId) {
        return ticks.findByIdOptional(tickId, LockModeType.PESSIMISTIC_READ)
                .map(tick -> new Detail(
                        tick,
                        runEvents.timeline(tickId).stream()
                                .sorted(TIMELINE_ORDER)
                                .toList(),
                        cost.usd(tickId)));
    }

    public List<LoopSummary> loops(String team) {
        return ticks.loops(team);
    }

    public List<DeadLetterEntity> deadLetters(int limit) {
        return deadLetters.recent(limit);
    }
}
