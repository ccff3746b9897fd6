package dev.loopline.schemas.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopline.schemas.json.Json;
import dev.loopline.schemas.json.SchemaValidator;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Encodes events to JSON and decodes untrusted JSON into events. Decoding validates the envelope and the
 * data against their schemas first, so a consumer either gets a well-formed event or an {@link
 * InvalidEventException} whose message can go to the dead-letter topic.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = Json.mapper();

    private EventCodec() {}

    public static String encode(Event event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode event " + event.id(), e);
        }
    }

    public static String encode(DeadLetter deadLetter) {
        try {
            return MAPPER.writeValueAsString(deadLetter);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode dead letter", e);
        }
    }

    public static Event decode(String json) throws InvalidEventException {
        if (json == null || json.isBlank()) {
            throw new InvalidEventException("empty message", List.of());
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("not valid JSON", List.of(e.getOriginalMessage()));
        }
        if (!(root instanceof ObjectNode envelope)) {
            throw new InvalidEventException("an event must be a JSON object", List.of());
        }
        SchemaValidator validator = SchemaValidator.get();
        List<String> violations = validator.validate(SchemaValidator.ENVELOPE, envelope);
        if (!violations.isEmpty()) {
            throw new InvalidEventException("invalid event envelope", violations);
        }
        EventType type = EventType.fromWireName(envelope.get("type").asText())
                .orElseThrow(() -> new IllegalStateException("envelope schema admitted an unknown type"));
        JsonNode dataNode = envelope.get("data");
        List<String> dataViolations = validator.validate(dataSchema(type), dataNode);
        if (!dataViolations.isEmpty()) {
            throw new InvalidEventException(
                    "invalid " + type.wireName() + " data",
                    dataViolations.stream()
                            .map(v -> v.startsWith("$") ? "$.data" + v.substring(1) : v)
                            .toList());
        }
        try {
            EventData data = MAPPER.treeToValue(dataNode, type.dataClass());
            return new Event(
                    UUID.fromString(envelope.get("id").asText()),
                    type.wireName(),
                    envelope.get("source").asText(),
                    Instant.parse(envelope.get("time").asText()),
                    envelope.get("schemaVersion").asInt(),
                    envelope.get("loopId").asText(),
                    envelope.get("tickId").asText(),
                    envelope.get("team").asText(),
                    envelope.get("attempt").asInt(),
                    data);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new InvalidEventException(
                    "cannot read " + type.wireName() + " data",
                    List.of(String.valueOf(
                            e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage())));
        }
    }

    /** The schema of an event type's data, relative to {@link SchemaValidator#ID_PREFIX}. */
    public static String dataSchema(EventType type) {
        return type.schemaResource().substring("dev/loopline/schemas/".length());
    }
}
