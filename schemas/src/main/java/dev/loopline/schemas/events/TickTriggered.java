package dev.loopline.schemas.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.loopline.schemas.spec.LoopSpec;
import java.time.Instant;

/** A trigger woke a loop. Carries the resolved spec so downstream services need no registry access. */
public record TickTriggered(Trigger trigger, String specHash, LoopSpec spec) implements EventData {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Trigger(String kind, String by, Instant scheduledFor) {
        public static Trigger manual(String by) {
            return new Trigger("manual", by, null);
        }

        public static Trigger cadence(Instant scheduledFor) {
            return new Trigger("cadence", "scheduler", scheduledFor);
        }
    }
}
