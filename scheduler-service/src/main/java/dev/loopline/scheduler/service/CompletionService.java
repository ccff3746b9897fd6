package dev.loopline.scheduler.service;

import dev.loopline.core.schedule.AnomalyDetector;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.http.LoopStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * What a completed tick changes ({@code TickCompleted}, from {@code CompletionConsumer}): its lease is released so
 * its loop may run again, and its outcome joins the loop's recent outcomes, where a stall or an oscillation halts the
 * loop until an operator resumes it. Idempotent: a completion recorded before (a redelivery) counts once.
 */
@ApplicationScoped
public class CompletionService {

    private static final Logger LOG = Logger.getLogger(CompletionService.class);

    private final AnomalyDetector anomalies = new AnomalyDetector();
    private final SchedulerSettings settings;
    private final SchedulerStore store;
    private final SchedulerState state;

    public CompletionService(SchedulerSettings settings, SchedulerStore store, SchedulerState state) {
        this.settings = settings;
        this.store = store;
        this.state = state;
    }

    /** A tick completed: its loop may run again. Unknown or stale ticks are ignored. */
    public void completed(String loopId, String tickId) {
        completed(loopId, tickId, null);
    }

    /**
     * A tick completed with an outcome: its lease is released so its loop may run again, and the outcome joins the
     * loop's recent outcomes; a stall or an oscillation halts the loop until an operator resumes it. A completion
     * already recorded (a redelivery) counts once; completions of unknown loops are ignored.
     */
    public void completed(String loopId, String tickId, TickCompleted.Outcome outcome) {
        if (store.release(tickId)) {
            LOG.debugf("tick %s of %s completed", tickId, loopId);
        }
        if (outcome == null || !state.catalog().knows(loopId)) {
            return;
        }
        Optional<List<TickCompleted.Outcome>> window =
                store.recordOutcome(loopId, tickId, outcome, state.now(), settings.anomalyWindow());
        if (window.isEmpty()) {
            return;
        }
        anomalies.detect(window.get()).ifPresent(a -> {
            if (store.halt(loopId, new LoopStatus.Halt(a.kind().wireName(), a.detail(), state.now()))) {
                LOG.warnf("loop %s halted (%s): %s", loopId, a.kind().wireName(), a.detail());
            }
        });
    }
}
