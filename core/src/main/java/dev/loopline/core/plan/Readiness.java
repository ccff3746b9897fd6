package dev.loopline.core.plan;

import dev.loopline.schemas.spec.LoopSpec.Level;
import java.util.List;

/**
 * Whether a spec is structurally ready for its declared level.
 *
 * @param readyFor the highest level whose requirements are all met
 * @param ready {@code readyFor >= declared}
 * @param score percentage of checks passed (0–100)
 * @param missing the fixes needed to reach the declared level, in check order; empty when ready
 */
public record Readiness(
        String loop,
        Level declared,
        Level readyFor,
        boolean ready,
        int score,
        List<Check> checks,
        List<String> missing) {

    public Readiness {
        checks = List.copyOf(checks);
        missing = List.copyOf(missing);
    }

    /**
     * One check: its name, whether it passed, what was found, the fix when it failed, and the lowest level
     * that requires it ({@code null} when no level requires it).
     */
    public record Check(String name, boolean passed, String detail, String fix, Level requiredFor) {}
}
