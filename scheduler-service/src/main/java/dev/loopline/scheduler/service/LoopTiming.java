package dev.loopline.scheduler.service;

import dev.loopline.core.schedule.Cadence;
import dev.loopline.core.schedule.CronSchedule;
import dev.loopline.core.schedule.PauseWindows;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.schemas.spec.LoopSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When a loop runs by itself: a cadence or a cron expression (at most one), minus its pause windows. A run
 * that would fall inside a pause window is moved to the window's end.
 */
record LoopTiming(Cadence cadence, CronSchedule cron, PauseWindows pauseWindows) {

    /** A spec field whose timing makes no sense, named as a JSON path. */
    static final class InvalidTimingException extends IllegalArgumentException {
        private final String field;

        InvalidTimingException(String field, String message) {
            super(message);
            this.field = field;
        }

        String field() {
            return field;
        }
    }

    /**
     * Reads a spec's cadence or cron, time zone and pause windows.
     *
     * @throws InvalidTimingException naming the field
     */
    static LoopTiming of(LoopSpec spec) {
        if (spec.cadence() != null && spec.cron() != null) {
            throw new InvalidTimingException("$.cron", "set either cadence or cron, not both");
        }
        try {
            CronSchedule.zone(spec.timezone());
        } catch (IllegalArgumentException e) {
            throw new InvalidTimingException("$.timezone", e.getMessage());
        }
        Cadence cadence = null;
        if (spec.cadence() != null) {
            try {
                cadence = Cadence.parse(spec.cadence());
            } catch (IllegalArgumentException e) {
                throw new InvalidTimingException("$.cadence", e.getMessage());
            }
        }
        CronSchedule cron = null;
        if (spec.cron() != null) {
            try {
                cron = CronSchedule.parse(spec.cron(), spec.timezone());
            } catch (IllegalArgumentException e) {
                throw new InvalidTimingException("$.cron", e.getMessage());
            }
        }
        PauseWindows windows;
        try {
            windows = PauseWindows.of(spec.pauseWindowsOrEmpty(), spec.timezone());
        } catch (IllegalArgumentException e) {
            throw new InvalidTimingException("$.pauseWindows", e.getMessage());
        }
        return new LoopTiming(cadence, cron, windows);
    }

    /** Whether the loop runs by itself at all (else only by hand). */
    boolean scheduled() {
        return cadence != null || cron != null;
    }

    /**
     * The first run of a loop seen for the first time (or resumed): for a cadence, a random point between now
     * and the smaller of {@code jitter} and the cadence's lower bound, so a restart does not wake every loop
     * at once; for a cron, its next time.
     */
    Instant first(Instant now, Duration jitter, RandomGenerator random) {
        if (cron != null) {
            return pauseWindows.defer(cron.next(now));
        }
        long boundMillis = Math.min(cadence.min().toMillis(), jitter.toMillis());
        Instant at = boundMillis <= 0 ? now : now.plusMillis(random.nextLong(boundMillis + 1));
        return pauseWindows.defer(at);
    }

    /** The run after one at {@code from}. */
    Instant after(Instant from, RandomGenerator random) {
        Instant at = cron != null ? cron.next(from) : cadence.next(from, random);
        return pauseWindows.defer(at);
    }

    TickTriggered.Trigger trigger(Instant scheduledFor) {
        return cron != null
                ? new TickTriggered.Trigger("cron", "scheduler", scheduledFor)
                : TickTriggered.Trigger.cadence(scheduledFor);
    }
}
