package dev.loopline.scheduler.service;

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

    /** The answer: allowed, refused with a reason, or unknown because the check could not be made. */
    record Decision(Verdict verdict, String reason) {

        public enum Verdict {
            ALLOW,
            /** The loop may not run now (for example over budget); a cadence run is skipped. */
            REFUSE,
            /** The check could not be made (for example its service is down); nothing runs, retried later. */
            UNAVAILABLE
        }

        private static final Decision ALLOW = new Decision(Verdict.ALLOW, null);

        public Decision {
            Objects.requireNonNull(verdict, "verdict");
            if (verdict != Verdict.ALLOW && (reason == null || reason.isBlank())) {
                throw new IllegalArgumentException("a " + verdict + " decision needs a reason");
            }
        }

        public static Decision allow() {
            return ALLOW;
        }

        public static Decision refuse(String reason) {
            return new Decision(Verdict.REFUSE, reason);
        }

        public static Decision unavailable(String reason) {
            return new Decision(Verdict.UNAVAILABLE, reason);
        }

        public boolean allowed() {
            return verdict == Verdict.ALLOW;
        }
    }
}
