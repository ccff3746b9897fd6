package dev.loopline.schemas.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.loopline.schemas.spec.LoopSpec;
import java.util.List;

/**
 * A maker proposed a change: the exact unified diff against {@code baseSha}.
 *
 * @param findings what the agent's guards noticed while the maker worked (tool calls they blocked, untrusted
 *     content that looked like a prompt injection); null when there was nothing, and in events written before the
 *     field existed
 * @param approvalId the approval request whose approved change the gate sends back through the guard on a moved base
 *     (schema version 4); null for every proposal of a maker
 * @param triage the triage report a {@code report} loop acted on (decision {@code act}, schema version 4); null for
 *     every other proposal
 * @param earlierAttempts what the checker said about each earlier attempt of the tick, oldest first (schema version
 *     4); null on the first attempt and in events written before the field existed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChangeProposed(
        String baseRef,
        String baseSha,
        String diff,
        String diffSha256,
        List<String> files,
        String summary,
        MakerInfo maker,
        Usage usage,
        long tickTokens,
        LoopSpec spec,
        List<Finding> findings,
        String approvalId,
        TriageReport triage,
        List<EarlierAttempt> earlierAttempts)
        implements EventData {

    public ChangeProposed {
        findings = findings == null || findings.isEmpty() ? null : List.copyOf(findings);
        earlierAttempts = earlierAttempts == null || earlierAttempts.isEmpty() ? null : List.copyOf(earlierAttempts);
    }

    /** A first attempt's proposal (no earlier attempts). */
    public ChangeProposed(
            String baseRef,
            String baseSha,
            String diff,
            String diffSha256,
            List<String> files,
            String summary,
            MakerInfo maker,
            Usage usage,
            long tickTokens,
            LoopSpec spec,
            List<Finding> findings) {
        this(
                baseRef,
                baseSha,
                diff,
                diffSha256,
                files,
                summary,
                maker,
                usage,
                tickTokens,
                spec,
                findings,
                null,
                null,
                null);
    }

    /** A later attempt's proposal, carrying what the checker said about the earlier ones. */
    public ChangeProposed(
            String baseRef,
            String baseSha,
            String diff,
            String diffSha256,
            List<String> files,
            String summary,
            MakerInfo maker,
            Usage usage,
            long tickTokens,
            LoopSpec spec,
            List<Finding> findings,
            List<EarlierAttempt> earlierAttempts) {
        this(
                baseRef,
                baseSha,
                diff,
                diffSha256,
                files,
                summary,
                maker,
                usage,
                tickTokens,
                spec,
                findings,
                null,
                null,
                earlierAttempts);
    }

    /** A proposal of the gate's: an approved change sent back through the guard on a moved base. */
    public ChangeProposed(
            String baseRef,
            String baseSha,
            String diff,
            String diffSha256,
            List<String> files,
            String summary,
            MakerInfo maker,
            Usage usage,
            long tickTokens,
            LoopSpec spec,
            List<Finding> findings,
            String approvalId) {
        this(
                baseRef,
                baseSha,
                diff,
                diffSha256,
                files,
                summary,
                maker,
                usage,
                tickTokens,
                spec,
                findings,
                approvalId,
                null,
                null);
    }

    /** A proposal with no maker findings. */
    public ChangeProposed(
            String baseRef,
            String baseSha,
            String diff,
            String diffSha256,
            List<String> files,
            String summary,
            MakerInfo maker,
            Usage usage,
            long tickTokens,
            LoopSpec spec) {
        this(
                baseRef,
                baseSha,
                diff,
                diffSha256,
                files,
                summary,
                maker,
                usage,
                tickTokens,
                spec,
                null,
                null,
                null,
                null);
    }

    /** This proposal carrying the triage report it acted on. */
    public ChangeProposed withTriage(TriageReport report) {
        return new ChangeProposed(
                baseRef,
                baseSha,
                diff,
                diffSha256,
                files,
                summary,
                maker,
                usage,
                tickTokens,
                spec,
                findings,
                approvalId,
                report,
                earlierAttempts);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MakerInfo(String type, String model) {}
}
