package dev.loopline.agent.service;

import dev.loopline.schemas.events.Usage;

/**
 * A maker stopped before a model call because the budget ledger refused the call's hold ({@link #refused()}: a cap
 * reached or a scope killed; the tick ends {@code halted} with code {@code budget}) or could not be asked (the tick
 * ends {@code escalated}: no call runs without a hold). Carries the tokens the run used before it stopped.
 */
public class BudgetStopException extends RuntimeException {

    private final boolean refused;
    private final Usage usage;

    public BudgetStopException(boolean refused, String reason, Usage usage) {
        super(reason);
        this.refused = refused;
        this.usage = usage == null ? Usage.NONE : usage;
    }

    public boolean refused() {
        return refused;
    }

    public Usage usage() {
        return usage;
    }

    /** The same stop, with the tokens used so far. */
    public BudgetStopException withUsage(Usage used) {
        return new BudgetStopException(refused, getMessage(), used);
    }
}
