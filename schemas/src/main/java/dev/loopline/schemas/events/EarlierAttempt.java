package dev.loopline.schemas.events;

import java.util.List;

/**
 * What the checker said about an earlier attempt of the same tick (schema version 4), carried forward by the agent
 * in each later {@link ChangeProposed} and echoed by the guard in its {@link ChangeVerified}: the agent's next retry
 * reflects on every earlier attempt, not only the last, and its breaker stops a tick whose attempts repeat.
 *
 * @param attempt the attempt's number (1 for the first)
 * @param reasons the checker's reasons for rejecting it, each trimmed to {@link #MAX_REASON_CHARS}
 * @param diffSha256 the SHA-256 of the diff it proposed
 */
public record EarlierAttempt(int attempt, List<String> reasons, String diffSha256) {

    /** Longest reason carried forward; the schema enforces it. */
    public static final int MAX_REASON_CHARS = 1000;

    /** Most reasons carried per attempt; the schema enforces it. */
    public static final int MAX_REASONS = 10;

    public EarlierAttempt {
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    /** An attempt's record with its reasons trimmed to the bounds the schema enforces. */
    public static EarlierAttempt of(int attempt, List<String> reasons, String diffSha256) {
        List<String> trimmed = (reasons == null ? List.<String>of() : reasons)
                .stream()
                        .limit(MAX_REASONS)
                        .map(r -> r.length() > MAX_REASON_CHARS ? r.substring(0, MAX_REASON_CHARS - 1) + "…" : r)
                        .toList();
        return new EarlierAttempt(attempt, trimmed, diffSha256);
    }
}
