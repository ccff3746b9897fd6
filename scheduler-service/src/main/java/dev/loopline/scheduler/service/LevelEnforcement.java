package dev.loopline.scheduler.service;

import dev.loopline.core.plan.Readiness;
import dev.loopline.schemas.spec.LoopSpec.Level;

/**
 * What the scheduler does with a spec that declares a higher autonomy level than it is structurally ready
 * for ({@code loopline.scheduler.level-enforcement}).
 */
public enum LevelEnforcement {
    /** Run the loop at the level it is ready for; the emitted spec carries that level. */
    CAP,
    /** List the loop as not runnable until its spec is fixed. */
    REFUSE;

    /**
     * The level a loop runs at and why.
     *
     * @param effective the level the loop runs at, {@code null} when it may not run at all
     * @param reason why the effective level differs from the declared one; {@code null} when it does not
     */
    public record Decision(Level declared, Level effective, String reason) {
        public boolean runnable() {
            return effective != null;
        }
    }

    public Decision decide(Readiness readiness) {
        Level declared = readiness.declared();
        if (readiness.ready()) {
            return new Decision(declared, declared, null);
        }
        String missing = "not ready for " + declared + " (ready for " + readiness.readyFor() + "): "
                + String.join("; ", readiness.missing());
        return switch (this) {
            case CAP -> new Decision(declared, readiness.readyFor(), missing + "; runs at " + readiness.readyFor());
            case REFUSE -> new Decision(declared, null, missing + "; not runnable (level-enforcement=refuse)");
        };
    }
}
