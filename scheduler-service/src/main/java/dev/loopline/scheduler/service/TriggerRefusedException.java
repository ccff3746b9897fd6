package dev.loopline.scheduler.service;

/** A tick cannot be triggered; {@link Reason} says why, and so which HTTP status an API answers. */
public class TriggerRefusedException extends RuntimeException {

    public enum Reason {
        UNKNOWN_LOOP,
        INVALID_SPEC,
        TICK_IN_FLIGHT,
        PUBLISH_FAILED
    }

    private final Reason reason;

    public TriggerRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public TriggerRefusedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
