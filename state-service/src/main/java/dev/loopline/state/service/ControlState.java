package dev.loopline.state.service;

import java.time.Instant;

/**
 * The kill-switch state of one scope, as stored and as published (JSON) on the compacted control topic
 * with the key {@code kind:id}.
 */
public record ControlState(String scope, String id, String state, String reason, String by, Instant at) {

    public static final String KILLED = "killed";
    public static final String RESUMED = "resumed";

    public String key() {
        return scope + ":" + id;
    }

    public boolean killed() {
        return KILLED.equals(state);
    }
}
