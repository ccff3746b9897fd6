package dev.loopline.core.plan;

import dev.loopline.schemas.spec.LoopSpec.Level;
import java.util.List;

/**
 * Token cost of a loop under the loop-engineering scenarios, against its caps.
 *
 * @param estimateSource "spec" when the spec carries estimates ({@code cost}), else "defaults for kind X"
 * @param withinCaps every scenario possible at the level fits the per-run cap (a run that cannot fit its
 *     per-run cap can never finish); the daily cap is a brake, reported per scenario
 */
public record CostEstimate(
        String loop,
        Level level,
        String estimateSource,
        String cadence,
        double runsPerDayMin,
        double runsPerDayMax,
        Long tokensPerRunCap,
        Long dailyTokensCap,
        List<Scenario> scenarios,
        boolean withinCaps,
        List<String> warnings) {

    public CostEstimate {
        scenarios = List.copyOf(scenarios);
        warnings = List.copyOf(warnings);
    }

    /**
     * @param name early-exit, full-triage or action-every-run
     * @param possibleAtLevel whether a run at the level can end this way (L1 never acts, L0 never runs)
     * @param tokensPerDay at the most frequent cadence; {@code tokensPerDayAtSlowest} at the least
     * @param runsUntilDailyCap how many such runs fit in the daily cap (null without a cap)
     */
    public record Scenario(
            String name,
            long tokensPerRun,
            long tokensPerDay,
            long tokensPerDayAtSlowest,
            boolean possibleAtLevel,
            Boolean withinRunCap,
            Boolean withinDailyCap,
            Long runsUntilDailyCap) {}
}
