package dev.loopline.makers.llm;

/**
 * The budget port of a model run: every model call is held before it is made, for what the run may still spend, and
 * settled from its own usage afterwards. agent-service holds on its state-service ledger (keyed by tick, attempt and
 * call, so a redelivery is charged once); the CLI's {@code run} on its local state file.
 */
public interface CallHolds {

    /**
     * Holds {@code tokens} for model call {@code call} (0-based) of this attempt.
     *
     * @throws BudgetStop when the hold is refused (a cap reached) or cannot be asked; the run stops before the call
     */
    Hold hold(int call, long tokens);

    /** One call's hold. */
    interface Hold {

        /** Settles the hold with what the call used, or releases it when it used nothing. Never throws. */
        void settle(long tokens, long inputTokens);
    }

    /** Every hold granted, nothing recorded (unit tests of one run). */
    static CallHolds unlimited() {
        return (call, tokens) -> (used, input) -> {};
    }
}
