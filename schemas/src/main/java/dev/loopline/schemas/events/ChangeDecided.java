package dev.loopline.schemas.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The gate's decision on a verified change.
 *
 * @param halt why the gate stopped the tick, for decision {@code halted} (schema version 2); null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChangeDecided(
        Decision decision,
        String reason,
        String branch,
        String commit,
        String baseSha,
        String diffSha256,
        long tickTokens,
        TickCompleted.Halt halt)
        implements EventData {

    public ChangeDecided {
        if ((decision == Decision.HALTED) != (halt != null)) {
            throw new IllegalArgumentException("a halt code goes with decision halted, and only with it");
        }
    }

    /** Any decision but {@code halted}. */
    public ChangeDecided(
            Decision decision,
            String reason,
            String branch,
            String commit,
            String baseSha,
            String diffSha256,
            long tickTokens) {
        this(decision, reason, branch, commit, baseSha, diffSha256, tickTokens, null);
    }

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
        ESCALATED,
        /** A kill switch or budget halt stopped the tick at the gate; nothing was pushed (schema version 2). */
        @JsonProperty("halted")
        HALTED,
        /**
         * The gate could not handle a valid verdict after its retries; nothing was pushed and the tick ends
         * {@code error} with the reason (schema version 3).
         */
        @JsonProperty("error")
        ERROR
    }
}
