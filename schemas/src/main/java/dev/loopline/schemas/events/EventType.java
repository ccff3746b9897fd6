package dev.loopline.schemas.events;

import java.util.Arrays;
import java.util.Optional;

/** The closed set of event types, with the record and the JSON Schema of each one's {@code data}. */
public enum EventType {
    TICK_TRIGGERED("loopline.tick.triggered", TickTriggered.class, "tick-triggered"),
    CHANGE_PROPOSED("loopline.change.proposed", ChangeProposed.class, "change-proposed"),
    CHANGE_VERIFIED("loopline.change.verified", ChangeVerified.class, "change-verified"),
    CHANGE_DECIDED("loopline.change.decided", ChangeDecided.class, "change-decided"),
    TICK_COMPLETED("loopline.tick.completed", TickCompleted.class, "tick-completed"),
    /** Schema version 4: an approval request opened, got a vote, or reached a final state. */
    APPROVAL_RECORDED("loopline.approval.recorded", ApprovalRecorded.class, "approval-recorded");

    private final String wireName;
    private final Class<? extends EventData> dataClass;
    private final String schemaName;

    EventType(String wireName, Class<? extends EventData> dataClass, String schemaName) {
        this.wireName = wireName;
        this.dataClass = dataClass;
        this.schemaName = schemaName;
    }

    public String wireName() {
        return wireName;
    }

    public Class<? extends EventData> dataClass() {
        return dataClass;
    }

    /** Classpath resource of the data schema. */
    public String schemaResource() {
        return "dev/loopline/schemas/events/" + schemaName + ".schema.json";
    }

    public static Optional<EventType> fromWireName(String wireName) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(wireName)).findFirst();
    }

    public static EventType of(EventData data) {
        return Arrays.stream(values())
                .filter(t -> t.dataClass.isInstance(data))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No event type for " + data.getClass()));
    }
}
