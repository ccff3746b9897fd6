package dev.loopline.schemas.control;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * The kill switch of one scope as published on the control topic with the key {@code <scope>:<id>}: {@code killed}
 * halts every tick of the scope, running ones included, until a {@code resumed} record (or a tombstone) of the same
 * key. The global scope's id is always {@value ControlScope#GLOBAL_ID}.
 */
public record KillSwitch(ControlScope scope, String id, State state, String reason, String by, Instant at)
        implements ControlRecord {

    public enum State {
        @JsonProperty("killed")
        KILLED,
        @JsonProperty("resumed")
        RESUMED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public KillSwitch {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(state, "state");
        if (scope == ControlScope.GLOBAL) {
            id = ControlScope.GLOBAL_ID;
        }
    }

    /** The key of a scope's kill switch on the control topic. */
    public static String key(ControlScope scope, String id) {
        return scope.wireName() + ":" + (scope == ControlScope.GLOBAL ? ControlScope.GLOBAL_ID : id);
    }

    @Override
    @JsonIgnore
    public String key() {
        return key(scope, id);
    }

    @JsonIgnore
    public boolean killed() {
        return state == State.KILLED;
    }
}
