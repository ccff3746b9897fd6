package dev.loopline.scheduler.service;

import dev.loopline.schemas.http.LoopStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * An operator's actions on a loop: pause and resume. Both are rows in the {@link SchedulerStore}, so they hold on
 * every replica and across restarts; both answer the loop's status as {@link LoopStatusService} shows it.
 */
@ApplicationScoped
public class OperatorService {

    private static final Logger LOG = Logger.getLogger(OperatorService.class);

    private final SchedulerSettings settings;
    private final SchedulerStore store;
    private final SchedulerState state;
    private final LoopStatusService status;

    public OperatorService(
            SchedulerSettings settings, SchedulerStore store, SchedulerState state, LoopStatusService status) {
        this.settings = settings;
        this.store = store;
        this.state = state;
        this.status = status;
    }

    /**
     * An operator pauses a loop: it is not triggered on cadence and manual triggers are refused until it is resumed,
     * on every replica and across restarts. A tick already in flight runs to its end. Pausing a paused loop keeps the
     * first pause.
     *
     * @throws TriggerRefusedException for an unknown loop
     */
    public LoopStatus pause(String loopId, String by, String reason) {
        state.catalog().requireKnown(loopId);
        if (store.pause(loopId, new LoopStatus.Pause(by, reason, state.now()))) {
            LOG.infof("loop %s paused by %s%s", loopId, by, reason == null ? "" : ": " + reason);
        }
        return status.statusOf(loopId);
    }

    /**
     * An operator resumes a loop: clears the operator's pause and an anomaly halt, and forgets the recent outcomes so
     * the loop starts a fresh window; the loop's next cadence run is placed as for a new loop (within the first-run
     * jitter). Resuming a loop that is neither paused nor halted changes nothing.
     *
     * @throws TriggerRefusedException for an unknown loop, or a loop paused by its spec file (which only an edit of
     *     the file can change)
     */
    public LoopStatus resume(String loopId, String by) {
        RegisteredLoop r = state.catalog().requireKnown(loopId);
        if (r != null && r.spec().isPaused()) {
            throw new TriggerRefusedException(
                    TriggerRefusedException.Reason.PAUSED,
                    "loop " + loopId + " is paused by its spec file "
                            + r.loaded().file() + "; set paused: false there");
        }
        Instant next =
                r != null && r.runsOnSchedule() ? state.firstSlot(r, state.now(), settings.firstRunJitter()) : null;
        if (store.resume(loopId, next)) {
            LOG.infof("loop %s resumed by %s", loopId, by);
        }
        return status.statusOf(loopId);
    }
}
