package dev.loopline.makers.llm;

import dev.loopline.schemas.events.Usage;

/**
 * A model run could not do its work; the message says why (never with the key in it). {@link #usage()} is what it
 * spent before failing.
 */
public class ModelRunFailed extends RuntimeException {

    private final Usage usage;

    public ModelRunFailed(String message, Usage usage) {
        super(message);
        this.usage = usage == null ? Usage.NONE : usage;
    }

    /** Tokens spent before the failure; {@link Usage#NONE} when nothing was. */
    public Usage usage() {
        return usage;
    }
}
