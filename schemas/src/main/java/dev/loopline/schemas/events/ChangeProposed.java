package dev.loopline.schemas.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.loopline.schemas.spec.LoopSpec;
import java.util.List;

/** A maker proposed a change: the exact unified diff against {@code baseSha}. */
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
        LoopSpec spec)
        implements EventData {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MakerInfo(String type, String model) {}
}
