package dev.loopline.state.service;

import java.time.Instant;

/**
 * One entry of the control log: a kill switch set or lifted ({@code type} {@code kill} / {@code resume}, {@code by}
 * who asked and {@code reason} why), or a budget threshold a scope reached ({@code budget-report-only}, {@code
 * budget-alert}, {@code budget-halt}; {@code by} is the ledger and {@code reason} gives the figures and the reset).
 */
public record ControlLogEntry(Instant time, String type, BudgetScope scope, String by, String reason) {

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
