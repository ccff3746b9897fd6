package dev.loopline.schemas.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * Something happened to an approval request of the gate (schema version 4): it opened, a human voted, the change
 * went back through the guard, or the request reached a final state. One event per action, on the tick's timeline;
 * the final ones ({@code merged}, {@code rejected}, {@code expired}, {@code voided}) are the tick's resolution.
 *
 * @param by who acted: a Loopline user for a vote, {@code gate} for the gate's own actions
 * @param channel where a vote came from; null for the gate's own actions
 * @param comment the voter's comment, if any
 * @param approvals distinct approvals counted so far
 * @param commit the merged commit, for action {@code merged}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApprovalRecorded(
        String approvalId,
        Action action,
        State state,
        String by,
        Channel channel,
        String comment,
        int approvals,
        int quorum,
        String diffSha256,
        String baseSha,
        String branch,
        String commit,
        String reason)
        implements EventData {

    public enum Action {
        @JsonProperty("opened")
        OPENED,
        @JsonProperty("approved")
        APPROVED,
        @JsonProperty("rejected")
        REJECTED,
        /** The base moved: the approved change went back through the guard on the new base. */
        @JsonProperty("reverifying")
        REVERIFYING,
        @JsonProperty("merged")
        MERGED,
        @JsonProperty("expired")
        EXPIRED,
        @JsonProperty("voided")
        VOIDED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum State {
        @JsonProperty("open")
        OPEN,
        @JsonProperty("merged")
        MERGED,
        @JsonProperty("rejected")
        REJECTED,
        @JsonProperty("expired")
        EXPIRED,
        @JsonProperty("voided")
        VOIDED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Channel {
        @JsonProperty("rest")
        REST,
        @JsonProperty("cli")
        CLI,
        @JsonProperty("slack")
        SLACK,
        @JsonProperty("dashboard")
        DASHBOARD
    }
}
