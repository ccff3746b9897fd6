package dev.loopline.schemas.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The tick ended; exactly one per tick. A tick stopped from outside — a kill switch, a budget, the scheduler's
 * anomaly halt, a deadline — ends {@link Outcome#HALTED} with its {@link Halt} code (schema version 2); such a tick
 * says nothing about the loop's own health, unlike {@code escalated}, {@code rejected} or {@code error}.
 *
 * @param halt why a {@code halted} tick was stopped; null for every other outcome
 * @param triage the triage stage's grounded report (schema version 4); null when the tick ran no triage stage
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TickCompleted(
        Outcome outcome,
        long tokens,
        int attempts,
        String reason,
        String branch,
        String commit,
        Halt halt,
        TriageReport triage)
        implements EventData {

    public TickCompleted {
        if ((outcome == Outcome.HALTED) != (halt != null)) {
            throw new IllegalArgumentException("a halt code goes with outcome halted, and only with it");
        }
    }

    public TickCompleted(
            Outcome outcome, long tokens, int attempts, String reason, String branch, String commit, Halt halt) {
        this(outcome, tokens, attempts, reason, branch, commit, halt, null);
    }

    /** A tick that ran the triage stage and ends with its report ({@code no-op} or {@code reported}). */
    public static TickCompleted triaged(Outcome outcome, long tokens, String reason, TriageReport triage) {
        return new TickCompleted(outcome, tokens, 0, reason, null, null, null, triage);
    }

    /** Any outcome but {@code halted}. */
    public TickCompleted(Outcome outcome, long tokens, int attempts, String reason, String branch, String commit) {
        this(outcome, tokens, attempts, reason, branch, commit, null);
    }

    /** A tick stopped from outside. */
    public static TickCompleted halted(Halt halt, long tokens, int attempts, String reason) {
        return new TickCompleted(Outcome.HALTED, tokens, attempts, reason, null, null, halt, null);
    }

    public enum Outcome {
        @JsonProperty("no-op")
        NO_OP,
        @JsonProperty("reported")
        REPORTED,
        @JsonProperty("proposed")
        PROPOSED,
        @JsonProperty("merged")
        MERGED,
        @JsonProperty("awaiting-approval")
        AWAITING_APPROVAL,
        @JsonProperty("escalated")
        ESCALATED,
        @JsonProperty("rejected")
        REJECTED,
        @JsonProperty("error")
        ERROR,
        /** Stopped from outside (schema version 2); {@link TickCompleted#halt()} says why. */
        @JsonProperty("halted")
        HALTED;

        /** The wire name, as stored and shown. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** Why a tick was halted, as a stable code. */
    public enum Halt {
        /** A kill switch of the loop, its team or global. */
        @JsonProperty("kill-switch")
        KILL_SWITCH,
        /** A budget ran out (a halt threshold, or the ledger refused the hold). */
        @JsonProperty("budget")
        BUDGET,
        /** The scheduler halted the loop for a stall or an oscillation. */
        @JsonProperty("anomaly")
        ANOMALY,
        /** The tick made no progress before its deadline. */
        @JsonProperty("timeout")
        TIMEOUT,
        /** The control board could not be read (fail closed). */
        @JsonProperty("control-unavailable")
        CONTROL_UNAVAILABLE;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
