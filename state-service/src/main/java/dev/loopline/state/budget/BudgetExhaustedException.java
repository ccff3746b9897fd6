package dev.loopline.state.budget;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A reservation (or the excess of a settlement) does not fit under a scope's daily cap: its token cap ({@link
 * BudgetUnit#TOKENS}: {@link #cap()}, {@link #spent()}, {@link #held()}, {@link #requested()}) or its money cap
 * ({@link BudgetUnit#USD}: the {@code …Usd} figures).
 */
public class BudgetExhaustedException extends RuntimeException {

    private final transient BudgetScope scope;
    private final BudgetUnit unit;
    private final long cap;
    private final long spent;
    private final long held;
    private final long requested;
    private final BigDecimal capUsd;
    private final BigDecimal spentUsd;
    private final BigDecimal heldUsd;
    private final BigDecimal requestedUsd;
    private final Instant resetsAt;

    /** The token cap refused. */
    public BudgetExhaustedException(
            BudgetScope scope, long cap, long spent, long held, long requested, Instant resetsAt) {
        super("Token budget of " + scope + " exhausted: cap " + cap + ", spent " + spent + ", held " + held + ", asked "
                + requested + "; resets at " + resetsAt);
        this.scope = scope;
        this.unit = BudgetUnit.TOKENS;
        this.cap = cap;
        this.spent = spent;
        this.held = held;
        this.requested = requested;
        this.capUsd = null;
        this.spentUsd = null;
        this.heldUsd = null;
        this.requestedUsd = null;
        this.resetsAt = resetsAt;
    }

    private BudgetExhaustedException(
            BudgetScope scope,
            BigDecimal capUsd,
            BigDecimal spentUsd,
            BigDecimal heldUsd,
            BigDecimal requestedUsd,
            Instant resetsAt) {
        super("Money budget of " + scope + " exhausted: daily USD cap $" + usd(capUsd) + ", spent $" + usd(spentUsd)
                + ", held $" + usd(heldUsd) + ", asked $" + usd(requestedUsd) + ", $"
                + usd(remaining(capUsd, spentUsd, heldUsd)) + " left; resets at " + resetsAt);
        this.scope = scope;
        this.unit = BudgetUnit.USD;
        this.cap = 0;
        this.spent = 0;
        this.held = 0;
        this.requested = 0;
        this.capUsd = capUsd;
        this.spentUsd = spentUsd;
        this.heldUsd = heldUsd;
        this.requestedUsd = requestedUsd;
        this.resetsAt = resetsAt;
    }

    /** The money cap refused. */
    public static BudgetExhaustedException money(
            BudgetScope scope,
            BigDecimal capUsd,
            BigDecimal spentUsd,
            BigDecimal heldUsd,
            BigDecimal requestedUsd,
            Instant resetsAt) {
        return new BudgetExhaustedException(scope, capUsd, spentUsd, heldUsd, requestedUsd, resetsAt);
    }

    private static String usd(BigDecimal amount) {
        return amount.signum() == 0 ? "0" : amount.stripTrailingZeros().toPlainString();
    }

    private static BigDecimal remaining(BigDecimal cap, BigDecimal spent, BigDecimal held) {
        return cap.subtract(spent).subtract(held).max(BigDecimal.ZERO);
    }

    public BudgetScope scope() {
        return scope;
    }

    public BudgetUnit unit() {
        return unit;
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

    /** Tokens left under the cap (token refusals). */
    public long remaining() {
        return Math.max(0, cap - spent - held);
    }

    public BigDecimal capUsd() {
        return capUsd;
    }

    public BigDecimal spentUsd() {
        return spentUsd;
    }

    public BigDecimal heldUsd() {
        return heldUsd;
    }

    public BigDecimal requestedUsd() {
        return requestedUsd;
    }

    /** USD left under the money cap (money refusals), null for a token refusal. */
    public BigDecimal remainingUsd() {
        return capUsd == null ? null : remaining(capUsd, spentUsd, heldUsd);
    }

    public Instant resetsAt() {
        return resetsAt;
    }
}
