package dev.loopline.schemas.control;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;
import java.util.Optional;

/** What a kill switch or a budget alert applies to: everything, one team, or one loop. */
public enum ControlScope {
    @JsonProperty("global")
    GLOBAL,
    @JsonProperty("team")
    TEAM,
    @JsonProperty("loop")
    LOOP;

    /** The id of the one global scope. */
    public static final String GLOBAL_ID = "global";

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ControlScope> fromWireName(String name) {
        for (ControlScope scope : values()) {
            if (scope.wireName().equals(name)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
