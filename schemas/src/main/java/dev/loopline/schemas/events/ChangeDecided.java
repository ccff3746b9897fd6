package dev.loopline.schemas.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The gate's decision on a verified change. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChangeDecided(
        Decision decision,
        String reason,
        String branch,
        String commit,
        String baseSha,
        String diffSha256,
        long tickTokens)
        implements EventData {

    public enum Decision {
        @JsonProperty("reported")
        REPORTED,
        @JsonProperty("merged")
        MERGED,
        @JsonProperty("proposed")
        PROPOSED,
        @JsonProperty("awaiting-approval")
        AWAITING_APPROVAL,
        @JsonProperty("escalated")
        ESCALATED
    }
}
