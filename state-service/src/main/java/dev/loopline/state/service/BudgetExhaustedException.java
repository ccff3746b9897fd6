package dev.loopline.state.service;

import java.time.Instant;

/** A reservation (or the excess of a settlement) does not fit under a scope's daily cap. */
public class BudgetExhaustedException extends RuntimeException {

    private final transient BudgetScope scope;
    private final long cap;
    private final long spent;
    private final long held;
    private final long requested;
    private final Instant resetsAt;

    public BudgetExhaustedException(
            BudgetScope scope, long cap, long spent, long held, long requested, Instant resetsAt) {
        super("Budget of " + scope + " exhausted: cap " + cap + ", spent " + spent + ", held " + held + ", asked "
                + requested + "; resets at " + resetsAt);
        this.scope = scope;
        this.cap = cap;
        this.spent = spent;
        this.held = held;
        this.requested = requested;
        this.resetsAt = resetsAt;
    }

    public BudgetScope scope() {
        return scope;
    }

    public long cap() {
        return cap;
    }

    public long spent() {
        return spent;
    }

    public long held() {
        return held;
    }

    public long requested() {
        return requested;
    }

    public Instant resetsAt() {
        return resetsAt;
    }
}
