package dev.loopline.scheduler.service;

import dev.loopline.core.spec.LoopSpecReader;
import dev.loopline.scheduler.config.ReplicaId;
import dev.loopline.scheduler.service.SchedulerStore.Acquisition;
import dev.loopline.scheduler.service.SchedulerStore.LoopState;
import dev.loopline.scheduler.service.SchedulerStore.SlotClaim;
import dev.loopline.scheduler.service.SchedulerStore.TickLease;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.schemas.http.LoopStatus;
import dev.loopline.schemas.spec.LoopSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Starts one tick, whoever asked (the due-check or a trigger): asks the admission check, takes the tick lease (with
 * the slot, for a cadence/cron run) and publishes {@code TickTriggered}, giving both back when the publish fails. The
 * lease keeps one tick in flight per loop and one writing loop per repository, whichever replica takes it.
 */
@ApplicationScoped
public class TickStarter {

    static final String SOURCE = "scheduler-service";
    private static final Logger LOG = Logger.getLogger(TickStarter.class);

    private final SchedulerSettings settings;
    private final SchedulerStore store;
    private final SchedulerState state;
    private final TickPublisher publisher;
    private final Admission admission;
    private final String replicaId;

    /**
     * @param store where trigger state lives (shared by every replica)
     * @param admission asked before every tick starts
     * @param replicaId this replica's name, recorded as the holder of the leases it takes
     */
    public TickStarter(
            SchedulerSettings settings,
            SchedulerStore store,
            SchedulerState state,
            TickPublisher publisher,
            Admission admission,
            @ReplicaId String replicaId) {
        this.settings = settings;
        this.store = Objects.requireNonNull(store, "store");
        this.state = state;
        this.publisher = publisher;
        this.admission = Objects.requireNonNull(admission, "admission");
        this.replicaId = Objects.requireNonNull(replicaId, "replicaId");
    }

    /** Asks the admission check; one that throws counts as unavailable (fail closed). */
    Admission.Decision admit(RegisteredLoop r) {
        try {
            return Objects.requireNonNull(admission.check(r.id(), r.spec().teamOrDefault()), "admission decision");
        } catch (RuntimeException e) {
            return Admission.Decision.unavailable("admission check failed: " + e.getMessage());
        }
    }

    /**
     * Refuses a loop an operator or its spec paused, or an anomaly halted.
     *
     * @throws TriggerRefusedException when it is paused or halted
     */
    static void refuseIfHeld(RegisteredLoop r, LoopState s) {
        LoopStatus.Pause pause = r.pause(s);
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

    /**
     * Takes the tick lease (with the slot, for a cadence/cron run), then publishes; gives both back if the publish
     * fails. An admission that caps the level (a budget in report-only) runs the tick's spec at that level, so every
     * downstream service enforces it.
     *
     * @param claim the slot taken with the lease; null for a manual or event trigger
     * @throws TriggerRefusedException when the lease or the slot is taken, the loop was paused meanwhile, or the
     *     event cannot be published
     */
    Event start(
            RegisteredLoop r,
            TickTriggered.Trigger trigger,
            Instant now,
            SlotClaim claim,
            Instant previousLast,
            Admission.Decision admitted) {
        String tickId = state.newTickId(now);
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
}
