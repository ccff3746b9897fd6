package dev.loopline.scheduler.service;

import dev.loopline.schemas.spec.LoopSpec;
import java.util.Objects;

/**
 * Whether a loop may start a tick now, asked for every candidate just before its tick lease is taken (cadence,
 * cron, manual and event triggers alike). The default bean allows everything; a deployment replaces it (for
 * example with state-service's budget and kill-switch check).
 *
 * <p>A refused cadence or cron run is skipped (the loop waits for its next slot); an unavailable answer keeps
 * the run due, so it is asked again at the next due check. Both fail closed: no tick starts. An implementation
 * that throws counts as unavailable.
 */
@FunctionalInterface
public interface Admission {

    /** Lets every loop run. */
    Admission ALLOW_ALL = (loopId, team) -> Decision.allow();

    Decision check(String loopId, String team);

    /**
     * The answer: allowed (perhaps only up to a level, with the reason), refused with a reason, or unknown because
     * the check could not be made.
     */
    record Decision(Verdict verdict, String reason, LoopSpec.Level levelCap) {

        public enum Verdict {
            ALLOW,
            /** The loop may not run now (for example over budget); a cadence run is skipped. */
            REFUSE,
            /** The check could not be made (for example its service is down); nothing runs, retried later. */
            UNAVAILABLE
        }

        private static final Decision ALLOW = new Decision(Verdict.ALLOW, null, null);

        public Decision {
            Objects.requireNonNull(verdict, "verdict");
            if ((verdict != Verdict.ALLOW || levelCap != null) && (reason == null || reason.isBlank())) {
                throw new IllegalArgumentException("a " + verdict + " decision needs a reason");
            }
            if (verdict != Verdict.ALLOW && levelCap != null) {
                throw new IllegalArgumentException("only an allowing decision has a level cap");
            }
        }

        public static Decision allow() {
            return ALLOW;
        }

        /**
         * The loop may run, but at no higher level than {@code cap} (for example L1, report only, when its budget
         * passed the report-only threshold).
         */
        public static Decision allowAtMost(LoopSpec.Level cap, String reason) {
            return new Decision(Verdict.ALLOW, reason, Objects.requireNonNull(cap, "cap"));
        }

        public static Decision refuse(String reason) {
            return new Decision(Verdict.REFUSE, reason, null);
        }

        public static Decision unavailable(String reason) {
            return new Decision(Verdict.UNAVAILABLE, reason, null);
        }

        public boolean allowed() {
            return verdict == Verdict.ALLOW;
        }
    }
}
