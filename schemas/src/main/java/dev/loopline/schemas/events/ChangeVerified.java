package dev.loopline.schemas.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.loopline.schemas.spec.LoopSpec;
import java.util.List;

/**
 * The independent checker's verdict on exactly the proposed diff applied to a clean checkout.
 *
 * @param approvalId copied from the proposal: the approval request whose change the gate had re-verified on a moved
 *     base (schema version 4); such a verdict is the gate's alone and the agent ignores it; null otherwise
 * @param earlierAttempts the proposal's {@link ChangeProposed#earlierAttempts()}, carried over (schema version 4); null
 *     on the first attempt and in events written before the field existed
 * @param approvable true when the verdict is {@code escalate} only because the change touches what a loop may not
 *     change unattended: the pinned test harness, a loop spec, or existing tests (deleted, renamed away, skipped,
 *     weakened). Nothing else escalated it, so at L2 the gate may ask a human to approve it; at L3 it is escalated
 *     like any other. Null (false) otherwise, and in events written before schema version 4
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChangeVerified(
        Verdict verdict,
        List<String> reasons,
        List<Finding> findings,
        TestResult test,
        String baseRef,
        String baseSha,
        String diff,
        String diffSha256,
        long tickTokens,
        LoopSpec spec,
        String approvalId,
        List<EarlierAttempt> earlierAttempts,
        Boolean approvable)
        implements EventData {

    public ChangeVerified {
        earlierAttempts = earlierAttempts == null || earlierAttempts.isEmpty() ? null : List.copyOf(earlierAttempts);
        approvable = Boolean.TRUE.equals(approvable) ? Boolean.TRUE : null;
    }

    /** A verdict without earlier attempts (a first attempt's, or one written before schema version 4). */
    public ChangeVerified(
            Verdict verdict,
            List<String> reasons,
            List<Finding> findings,
            TestResult test,
            String baseRef,
            String baseSha,
            String diff,
            String diffSha256,
            long tickTokens,
            LoopSpec spec) {
        this(verdict, reasons, findings, test, baseRef, baseSha, diff, diffSha256, tickTokens, spec, null, null, null);
    }

    /** A maker's verdict carrying the tick's earlier attempts. */
    public ChangeVerified(
            Verdict verdict,
            List<String> reasons,
            List<Finding> findings,
            TestResult test,
            String baseRef,
            String baseSha,
            String diff,
            String diffSha256,
            long tickTokens,
            LoopSpec spec,
            List<EarlierAttempt> earlierAttempts) {
        this(
                verdict,
                reasons,
                findings,
                test,
                baseRef,
                baseSha,
                diff,
                diffSha256,
                tickTokens,
                spec,
                null,
                earlierAttempts,
                null);
    }

    /** A verdict of the gate's re-verification of approval request {@code approvalId}. */
    public ChangeVerified(
            Verdict verdict,
            List<String> reasons,
            List<Finding> findings,
            TestResult test,
            String baseRef,
            String baseSha,
            String diff,
            String diffSha256,
            long tickTokens,
            LoopSpec spec,
            String approvalId) {
        this(
                verdict,
                reasons,
                findings,
                test,
                baseRef,
                baseSha,
                diff,
                diffSha256,
                tickTokens,
                spec,
                approvalId,
                null,
                null);
    }

    /** This verdict for the re-verification of approval request {@code id}. */
    public ChangeVerified forApproval(String id) {
        return new ChangeVerified(
                verdict,
                reasons,
                findings,
                test,
                baseRef,
                baseSha,
                diff,
                diffSha256,
                tickTokens,
                spec,
                id,
                earlierAttempts,
                approvable);
    }

    /** This verdict, marked {@link #approvable()}: it escalates only because of what a human may approve at L2. */
    public ChangeVerified asApprovable() {
        return new ChangeVerified(
                verdict,
                reasons,
                findings,
                test,
                baseRef,
                baseSha,
                diff,
                diffSha256,
                tickTokens,
                spec,
                approvalId,
                earlierAttempts,
                Boolean.TRUE);
    }

    /** Whether a human may approve this escalated change at L2 (see {@link #approvable()}). */
    public boolean humanMayApprove() {
        return verdict == Verdict.ESCALATE && Boolean.TRUE.equals(approvable);
    }

    public enum Verdict {
        @JsonProperty("accept")
        ACCEPT,
        @JsonProperty("reject")
        REJECT,
        @JsonProperty("escalate")
        ESCALATE,
        /**
         * The checker could not verify the change (it failed on a valid proposal after its retries); nothing may be
         * merged and the tick ends {@code error} with the reasons (schema version 3).
         */
        @JsonProperty("error")
        ERROR
    }

    /**
     * @param sandbox where the command ran: {@code bubblewrap}, or {@code none} when the operator turned the
     *     sandbox off; absent in events written before the guard reported it
     */
    public record TestResult(
            String command, int exitCode, boolean timedOut, long durationMs, String outputTail, String sandbox) {}
}
