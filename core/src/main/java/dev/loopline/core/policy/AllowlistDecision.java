package dev.loopline.core.policy;

import java.util.List;

/** The allowlist verdict on one diff, with one reason per violation (path and rule or glob). */
public record AllowlistDecision(boolean allowed, int filesChanged, int linesChanged, List<String> reasons) {

    public AllowlistDecision {
        reasons = List.copyOf(reasons);
        if (allowed && !reasons.isEmpty()) {
            throw new IllegalArgumentException("an allowed decision carries no violation reasons");
        }
    }
}
