package dev.loopline.schemas.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The envelope of every Loopline event (CloudEvents-style). Kafka key = {@link #loopId()}, so one
 * loop's events stay in order on one partition.
 */
public record Event(
        UUID id,
        String type,
        String source,
        Instant time,
        int schemaVersion,
        String loopId,
        String tickId,
        String team,
        int attempt,
        EventData data) {

    /**
     * 2: TickCompleted and ChangeDecided gained {@code halted} with its code. 3: ChangeVerified gained verdict
     * {@code error} and ChangeDecided decision {@code error} (a stage that could not handle a valid event). 4:
     * ApprovalRecorded ({@code loopline.approval.recorded}), and an optional {@code approvalId} on ChangeProposed and
     * ChangeVerified marking the gate's re-verification of an approved change, an optional triage report, and the
     * optional {@code earlierAttempts} on ChangeProposed and ChangeVerified (reflexion over every earlier attempt). Events of every earlier version still
     * read.
     */
    public static final int SCHEMA_VERSION = 4;

    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(loopId, "loopId");
        Objects.requireNonNull(tickId, "tickId");
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(data, "data");
    }

    /**
     * Creates an event whose id is derived from (tick, attempt, type): a service that handles the same
     * input twice (at-least-once delivery, a restart mid-way) emits the same id again, and every
     * consumer drops the duplicate.
     */
    public static Event of(
            String source, Instant time, String loopId, String tickId, String team, int attempt, EventData data) {
        EventType type = EventType.of(data);
        return new Event(
                deterministicId(tickId, attempt, type),
                type.wireName(),
                source,
                time,
                SCHEMA_VERSION,
                loopId,
                tickId,
                team,
                attempt,
                data);
    }

    /**
     * An event whose id is derived from (tick, attempt, type, {@code key}): for a stage that emits several events of
     * one type per attempt (each vote on an approval, each re-verification of an approved change), each with a
     * stable key of its own, so a retry re-emits the same id.
     */
    public static Event keyed(
            String source,
            Instant time,
            String loopId,
            String tickId,
            String team,
            int attempt,
            EventData data,
            String key) {
        EventType type = EventType.of(data);
        return new Event(
                UUID.nameUUIDFromBytes(
                        (tickId + '/' + attempt + '/' + type.wireName() + '/' + key).getBytes(StandardCharsets.UTF_8)),
                type.wireName(),
                source,
                time,
                SCHEMA_VERSION,
                loopId,
                tickId,
                team,
                attempt,
                data);
    }

    public static UUID deterministicId(String tickId, int attempt, EventType type) {
        return UUID.nameUUIDFromBytes(
                (tickId + '/' + attempt + '/' + type.wireName()).getBytes(StandardCharsets.UTF_8));
    }

    public EventType eventType() {
        return EventType.of(data);
    }

    /** Narrows {@link #data()} to the expected record, or fails with a message naming both types. */
    public <T extends EventData> T dataAs(Class<T> expected) {
        if (!expected.isInstance(data)) {
            throw new IllegalStateException("Event " + id + " carries " + type + ", not " + expected.getSimpleName());
        }
        return expected.cast(data);
    }
}
