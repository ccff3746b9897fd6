package dev.loopline.agent.service;

import dev.loopline.schemas.events.Usage;

/**
 * A maker could not do its work; the message says why and ends up in the tick's outcome. {@link #usage()} is what it
 * spent before failing (an LLM maker that failed after calls); those tokens are settled on the budget ledger.
 */
public class MakerException extends RuntimeException {

    private final Usage usage;

    public MakerException(String message) {
        this(message, Usage.NONE);
    }

    public MakerException(String message, Throwable cause) {
        super(message, cause);
        this.usage = Usage.NONE;
    }

    public MakerException(String message, Usage usage) {
        super(message);
        this.usage = usage == null ? Usage.NONE : usage;
    }

    /** Tokens spent before the failure; {@link Usage#NONE} when nothing was. */
    public Usage usage() {
        return usage;
    }
}
