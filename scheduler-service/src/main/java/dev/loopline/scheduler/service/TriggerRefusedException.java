package dev.loopline.scheduler.service;

/** A tick cannot be triggered; {@link Reason} says why, and so which HTTP status an API answers. */
public class TriggerRefusedException extends RuntimeException {

    public enum Reason {
        UNKNOWN_LOOP,
        INVALID_SPEC,
        LEVEL_NOT_READY,
        PLAN_ONLY,
        PAUSED,
        HALTED,
        TICK_IN_FLIGHT,
        /** Another writing loop has a tick in flight on the same repository. */
        REPO_BUSY,
        /** The admission check refused the run (for example over budget). */
        ADMISSION_REFUSED,
        /** The admission check could not be made; nothing runs (fail closed). */
        ADMISSION_UNAVAILABLE,
        /** A cadence/cron slot was taken by another replica first (never reaches an API). */
        SLOT_TAKEN,
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
