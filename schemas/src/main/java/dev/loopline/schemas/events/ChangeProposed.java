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
        List<EarlierAttempt> earlierAttempts)
        implements EventData {

    public ChangeProposed {
        findings = findings == null || findings.isEmpty() ? null : List.copyOf(findings);
        earlierAttempts = earlierAttempts == null || earlierAttempts.isEmpty() ? null : List.copyOf(earlierAttempts);
    }

    /** A proposal of a first attempt (no earlier attempts). */
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
        this(baseRef, baseSha, diff, diffSha256, files, summary, maker, usage, tickTokens, spec, findings, null);
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
        this(baseRef, baseSha, diff, diffSha256, files, summary, maker, usage, tickTokens, spec, null, null);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MakerInfo(String type, String model) {}
}
