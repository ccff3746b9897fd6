package dev.loopline.schemas.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One checker finding: which rule, how bad, where, and the evidence. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Finding(String ruleId, Severity severity, String message, String file, Integer line, String evidence) {

    public enum Severity {
        @JsonProperty("low")
        LOW,
        @JsonProperty("medium")
        MEDIUM,
        @JsonProperty("high")
        HIGH
    }
}
