package dev.loopline.scheduler.service;

import dev.loopline.core.spec.SpecProblem;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry as read last, immutable: valid loops by id and invalid spec files. {@link SchedulerState} holds the
 * current one; {@link LoopRegistry} replaces it whole on every reload.
 */
record LoopCatalog(Map<String, RegisteredLoop> loops, List<LoopCatalog.Invalid> invalid) {

    static final LoopCatalog EMPTY = new LoopCatalog(Map.of(), List.of());

    /** A spec file that could not be registered, under the id it declares (or its file name). */
    record Invalid(String id, String file, List<SpecProblem> problems) {}

    Optional<Invalid> invalid(String id) {
        return invalid.stream().filter(i -> i.id().equals(id)).findFirst();
    }

    boolean knows(String id) {
        return loops.containsKey(id) || invalid(id).isPresent();
    }

    /**
     * The registered loop, {@code null} for a known loop whose spec is invalid.
     *
     * @throws TriggerRefusedException for an unknown loop
     */
    RegisteredLoop requireKnown(String loopId) {
        if (!knows(loopId)) {
            throw new TriggerRefusedException(TriggerRefusedException.Reason.UNKNOWN_LOOP, "no loop " + loopId);
        }
        return loops.get(loopId);
    }
}
