package dev.loopline.makers.llm;

import dev.loopline.schemas.events.Usage;

/**
 * A model run stopped before a call because its budget refused the call's hold ({@link #refused()}: a cap reached or
 * a scope killed) or could not be asked. Carries the tokens the run used before it stopped.
 */
public class BudgetStop extends RuntimeException {

    private final boolean refused;
    private final Usage usage;

    public BudgetStop(boolean refused, String reason, Usage usage) {
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
    public BudgetStop withUsage(Usage used) {
        return new BudgetStop(refused, getMessage(), used);
    }
}
