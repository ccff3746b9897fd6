package dev.loopline.core.triage;

/** The triage stage cannot read what it needs (a cursor outside the history); the run fails, the cursor stays. */
public final class TriageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TriageException(String message) {
        super(message);
    }

    public TriageException(String message, Throwable cause) {
        super(message, cause);
    }
}
