package dev.loopline.state.budget;

import java.util.UUID;

/**
 * A settlement above the reservation's declared maximum (its {@code maxTokens}, or its {@code tokens} when it declared
 * none): the ledger held no more than that, so recording it could break a cap. Nothing changes; the hold stays until it
 * is settled within the maximum, released, or expires.
 */
public class SettleExceedsMaximumException extends RuntimeException {

    private final long actualTokens;
    private final long maxTokens;

    public SettleExceedsMaximumException(UUID id, long actualTokens, long expectedTokens, long maxTokens) {
        super("Reservation " + id + " declared at most " + maxTokens + " tokens (" + expectedTokens
                + " expected), so it cannot settle " + actualTokens + ". Settle at most " + maxTokens
                + " and reserve the rest separately, or declare a larger maxTokens when reserving");
        this.actualTokens = actualTokens;
        this.maxTokens = maxTokens;
    }

    public long actualTokens() {
        return actualTokens;
    }

    public long maxTokens() {
        return maxTokens;
    }
}
