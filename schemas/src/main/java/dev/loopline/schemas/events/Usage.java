package dev.loopline.schemas.events;

/** Tokens a maker reported for one attempt. */
public record Usage(long inputTokens, long outputTokens) {
    public static final Usage NONE = new Usage(0, 0);

    public long total() {
        return inputTokens + outputTokens;
    }
}
