package dev.loopline.schemas.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The tick ended; exactly one per tick. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TickCompleted(Outcome outcome, long tokens, int attempts, String reason, String branch, String commit)
        implements EventData {

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
        ERROR;

        /** The wire name, as stored and shown. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
