package dev.loopline.core.plan;

import dev.loopline.schemas.spec.LoopSpec.Level;
import java.util.List;

/**
 * What running a loop at a level will do: when, within which caps, which actions, on which paths.
 *
 * @param requested the level asked for (the declared level unless overridden)
 * @param effective the level that will be enforced: {@code requested}, lowered to what the spec is ready
 *     for
 */
public record ExecutionPlan(
        String loop,
        Level declared,
        Level requested,
        Level effective,
        boolean paused,
        Schedule schedule,
        Caps caps,
        ActionPolicy policy,
        EffectiveAllowlist allowlist,
        List<String> notes) {

    public ExecutionPlan {
        notes = List.copyOf(notes);
    }

    /** {@code cadence} null = manual trigger only; runs per day are 0 then. */
    public record Schedule(
            String cadence,
            Long minIntervalSeconds,
            Long maxIntervalSeconds,
            double runsPerDayMin,
            double runsPerDayMax,
            int priority) {}

    /**
     * @param reportOnlyAtTokens the daily spend at which the loop drops to report-only (80 % of the cap)
     */
    public record Caps(
            Long tokensPerRun,
            Long dailyTokens,
            Long reportOnlyAtTokens,
            int maxAttempts,
            Integer wallClockSeconds,
            Integer testTimeoutSeconds) {}

    /**
     * @param mode plan-only, report-only, propose or unattended
     * @param runsMaker whether a maker runs (in a throwaway worktree)
     * @param pushesBranch whether a verified change is pushed to a branch
     * @param humanApproval whether a human must approve before anything merges
     * @param merge none, or fast-forward (L3, inside the allowlist only)
     * @param outsideAllowlist what happens to a verified change outside the allowlist (L3), else null
     */
    public record ActionPolicy(
            String mode,
            boolean runsMaker,
            boolean pushesBranch,
            boolean humanApproval,
            String merge,
            String outsideAllowlist,
            String description) {}

    /** The spec's allowlist plus Loopline's default deny globs; null below L3 (nothing merges unattended). */
    public record EffectiveAllowlist(
            List<String> allow, List<String> deny, List<String> defaultDeny, Integer maxFiles, Integer maxLines) {}
}
