package dev.loopline.schemas.http;

import dev.loopline.schemas.spec.LoopSpec;
import java.time.Instant;
import java.util.List;

/**
 * What the scheduler knows about one loop: the body of scheduler-service's {@code GET /api/v1/schedule} (a list) and
 * {@code GET /api/v1/schedule/{id}}, and of its pause and resume answers, shared with its callers (state-service shows
 * it beside the run log in its {@code GET /api/v1/loops}). An invalid spec file is listed too ({@code valid = false})
 * with its problems; its id is the file's {@code id} field when readable, else the file name without extension.
 *
 * @param level the declared level (same as {@code declaredLevel}; kept for existing clients)
 * @param effectiveLevel the level the loop runs at after level enforcement; {@code null} when not runnable
 * @param levelReason why the effective level differs from the declared one (the missing pieces), else null
 * @param runnable whether level enforcement lets the loop run at all (false for invalid specs too)
 * @param paused whether the loop is paused, by an operator or by its spec file
 * @param pause who paused it, why and since when ({@code by = "spec"} for a spec file's {@code paused:
 *     true}); {@code null} when not paused
 * @param halted why the scheduler halted the loop (an anomaly in its recent outcomes); {@code null} when not
 *     halted; cleared by resume
 * @param recentOutcomes the loop's most recent tick outcomes, oldest first (at most the anomaly window)
 * @param cron the loop's cron expression, if it runs on one
 * @param timezone the time zone of its cron and pause windows; {@code null} when it has neither
 * @param nextRunAt the next run on its cadence or cron, already moved past any pause window
 * @param specHash the hash of the spec as declared; a tick of a capped loop carries its capped spec's hash
 * @param lastRefusal the last time a run of this loop was refused by the admission check, and why; {@code
 *     null} when never
 */
public record LoopStatus(
        String id,
        String team,
        LoopSpec.Kind kind,
        LoopSpec.Level level,
        LoopSpec.Level declaredLevel,
        LoopSpec.Level effectiveLevel,
        String levelReason,
        boolean runnable,
        String cadence,
        String cron,
        String timezone,
        String file,
        String specHash,
        boolean valid,
        List<Problem> problems,
        boolean paused,
        Pause pause,
        Halt halted,
        List<String> recentOutcomes,
        Instant nextRunAt,
        Instant lastTriggeredAt,
        String inFlightTickId,
        Refusal lastRefusal) {

    /** One thing wrong with the spec file: which file, which field (a JSON path such as {@code $.target.repo}), what. */
    public record Problem(String file, String field, String message) {}

    /** Who paused a loop, why, and since when ({@code since} is {@code null} for a spec file's pause). */
    public record Pause(String by, String reason, Instant since) {}

    /** An anomaly halt: {@code kind} is {@code stall} or {@code oscillation}. */
    public record Halt(String kind, String detail, Instant since) {}

    /** A run refused by the admission check: why, and when. */
    public record Refusal(String reason, Instant at) {}
}
