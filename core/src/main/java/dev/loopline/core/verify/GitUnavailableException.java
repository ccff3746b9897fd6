package dev.loopline.core.verify;

/** Git could not answer at all; claims checked through it are unverifiable, not fabricated. */
public final class GitUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    public GitUnavailableException(String message) {
        super(message);
    }

    public GitUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
