package dev.loopline.schemas.control;

import java.time.Instant;
import java.util.List;

/**
 * What is in force at {@code asOf}: the scopes whose kill switch is on, and the budget alerts not yet lapsed (the
 * highest level each budget scope reached on its current day, {@code resetsAt} after {@code asOf}). Served by
 * state-service at {@code GET /api/v1/control/snapshot}; the records are the control-topic records, so a reader can
 * fold them into the same board it fills from the topic.
 */
public record ControlSnapshot(Instant asOf, List<KillSwitch> kills, List<BudgetAlert> budgetAlerts) {

    public ControlSnapshot {
        kills = List.copyOf(kills);
        budgetAlerts = List.copyOf(budgetAlerts);
    }
}
