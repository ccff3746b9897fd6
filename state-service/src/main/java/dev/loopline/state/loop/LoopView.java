package dev.loopline.state.loop;

import dev.loopline.core.control.Admission;
import dev.loopline.state.runlog.LoopSummary;
import java.time.Instant;
import java.util.List;

/**
 * One loop's state for {@code GET /api/v1/loops}: what its ticks say (level, last run and result, open items), what the
 * control topic's records in force say about running it now ({@code admission}: {@code run}, {@code report-only} or
 * {@code halted}, with the reason: a kill switch, a budget, or the scheduler's anomaly halt), and what the scheduler
 * says ({@code nextRunAt}, {@code paused}, {@code pauseReason}; null when {@code schedule} is not {@code scheduler},
 * i.e. {@code not-configured} or {@code unavailable: …}). A loop the scheduler runs that has not ticked yet is listed
 * with {@code tickCount} 0.
 */
public record LoopView(
        String loopId,
        String team,
        String level,
        Instant lastTickAt,
        String lastTickId,
        String lastStatus,
        String lastOutcome,
        Instant lastRunAt,
        long tickCount,
        long openItems,
        List<String> openTickIds,
        String admission,
        String admissionReason,
        Instant nextRunAt,
        Boolean paused,
        String pauseReason,
        String schedule) {

    static LoopView of(LoopSummary loop, Admission admission, SchedulerLoops.Schedule schedule) {
        SchedulerLoops.Entry scheduled = schedule.loops().get(loop.loopId());
        Admitted admitted = Admitted.of(admission, scheduled);
        return new LoopView(
                loop.loopId(),
                loop.team(),
                loop.level(),
                loop.lastTickAt(),
                loop.lastTickId(),
                loop.lastStatus(),
                loop.lastOutcome(),
                loop.lastRunAt(),
                loop.tickCount(),
                loop.openItems(),
                loop.openTickIds(),
                admitted.state(),
                admitted.reason(),
                scheduled == null ? null : scheduled.nextRunAt(),
                scheduled == null ? null : scheduled.paused(),
                scheduled == null ? null : scheduled.pauseReason(),
                schedule.status());
    }

    /** A loop the scheduler runs that has no tick yet. */
    static LoopView scheduledOnly(SchedulerLoops.Entry scheduled, Admission admission, String schedule) {
        Admitted admitted = Admitted.of(admission, scheduled);
        return new LoopView(
                scheduled.loopId(),
                scheduled.team(),
                scheduled.level(),
                null,
                null,
                null,
                null,
                null,
                0,
                0,
                List.of(),
                admitted.state(),
                admitted.reason(),
                scheduled.nextRunAt(),
                scheduled.paused(),
                scheduled.pauseReason(),
                schedule);
    }

    /** The control board's admission, with the scheduler's anomaly halt counted as a halt. */
    private record Admitted(String state, String reason) {
        static Admitted of(Admission admission, SchedulerLoops.Entry scheduled) {
            if (admission instanceof Admission.Halt halt) {
                return new Admitted("halted", halt.reason());
            }
            if (scheduled != null && scheduled.haltReason() != null) {
                return new Admitted("halted", scheduled.haltReason());
            }
            if (admission instanceof Admission.ReportOnly limited) {
                return new Admitted("report-only", limited.reason());
            }
            return new Admitted("run", null);
        }
    }
}
