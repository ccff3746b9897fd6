package dev.loopline.state.control;

import dev.loopline.state.budget.BudgetScope;
import dev.loopline.state.budget.BudgetThreshold;
import java.time.Instant;

/**
 * One entry of the control log: a kill switch set or lifted ({@code type} {@code kill} / {@code resume}, {@code by}
 * who asked and {@code reason} why), a budget threshold a scope reached ({@code budget-report-only}, {@code
 * budget-alert}, {@code budget-halt}; {@code by} is the ledger and {@code reason} gives the figures and the reset), or
 * an approval decision on a loop's change ({@code approval-approved}, {@code approval-rejected}, {@code
 * approval-expired}, {@code approval-voided}; {@code by} is the approver or the gate, with the request, the tick and
 * the channel).
 *
 * @param approvalId the approval request, for an approval decision; otherwise null
 * @param tickId the tick whose change was decided, for an approval decision; otherwise null
 * @param channel where a human decided ({@code rest}, {@code cli}, {@code slack}, {@code dashboard}); otherwise null
 */
public record ControlLogEntry(
        Instant time,
        String type,
        BudgetScope scope,
        String by,
        String reason,
        String approvalId,
        String tickId,
        String channel) {

    /** An entry that is not about an approval. */
    public ControlLogEntry(Instant time, String type, BudgetScope scope, String by, String reason) {
        this(time, type, scope, by, reason, null, null, null);
    }

    /** Who a threshold crossing is attributed to: the ledger decided it, nobody asked. */
    public static final String LEDGER = "budget-ledger";

    static ControlLogEntry of(BudgetThreshold.Crossing c) {
        return new ControlLogEntry(
                c.crossedAt(),
                "budget-" + c.level().wireName(),
                c.scope(),
                LEDGER,
                c.scope() + " reached " + c.level().percent() + "%: " + c.describe() + " on " + c.day() + "; resets at "
                        + c.resetsAt());
    }
}
