package dev.loopline.scheduler.service;

import dev.loopline.scheduler.service.SchedulerStore.LoopState;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.schemas.http.LoopStatus;
import dev.loopline.schemas.spec.LoopSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

/**
 * Manual and event (webhook) triggers: whether a loop may run now whatever its cadence — known, valid, runnable at a
 * level above L0, neither paused nor halted, admitted — then the tick is started by {@link TickStarter}. Served by
 * any replica, and not held back by {@code maxInFlight}; a refusal says why as a {@link TriggerRefusedException}.
 */
@ApplicationScoped
public class TriggerService {

    private final SchedulerSettings settings;
    private final SchedulerStore store;
    private final SchedulerState state;
    private final TickStarter starter;

    public TriggerService(SchedulerSettings settings, SchedulerStore store, SchedulerState state, TickStarter starter) {
        this.settings = settings;
        this.store = store;
        this.state = state;
        this.starter = starter;
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
     * Triggers a loop now because an event it listens to happened (a webhook delivery): the manual-trigger path,
     * refused for the same reasons, with the event's trigger (kind {@code webhook}) on the tick.
     *
     * @throws TriggerRefusedException as {@link #triggerManually}
     */
    public Event triggerByEvent(String loopId, TickTriggered.Trigger trigger) {
        return triggerNow(loopId, trigger);
    }

    /**
     * Triggers a loop now with the given trigger (manual, or an event such as a webhook): the checks of {@link
     * #triggerManually}, then the admission check, the tick lease, and the publish. The lease keeps one tick in
     * flight per loop whichever replica takes it.
     */
    private Event triggerNow(String loopId, TickTriggered.Trigger trigger) {
        LoopCatalog catalog = state.catalog();
        RegisteredLoop r = catalog.loops().get(loopId);
        if (r == null) {
            Optional<LoopCatalog.Invalid> bad = catalog.invalid(loopId);
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
        TickStarter.refuseIfHeld(r, s);
        Instant now = state.now();
        Admission.Decision decision = starter.admit(r);
        if (!decision.allowed()) {
            store.recordRefusal(loopId, new LoopStatus.Refusal(decision.reason(), now));
            throw new TriggerRefusedException(
                    decision.verdict() == Admission.Decision.Verdict.REFUSE
                            ? TriggerRefusedException.Reason.ADMISSION_REFUSED
                            : TriggerRefusedException.Reason.ADMISSION_UNAVAILABLE,
                    "loop " + loopId + " may not run now: " + decision.reason());
        }
        return starter.start(r, trigger, now, null, s.lastTriggeredAt(), decision);
    }
}
