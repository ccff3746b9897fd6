package dev.loopline.schemas.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopline.schemas.json.Json;
import dev.loopline.schemas.json.SchemaValidator;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Encodes control records and decodes untrusted control-topic messages. Decoding validates against {@value
 * SchemaValidator#CONTROL_RECORD} first, so a consumer either gets a well-formed record or an {@link
 * InvalidControlRecordException} whose message can go to the dead-letter topic.
 */
public final class ControlCodec {

    private static final ObjectMapper MAPPER = Json.mapper();

    private ControlCodec() {}

    public static String encode(ControlRecord record) {
        try {
            return MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode control record " + record.key(), e);
        }
    }

    /**
     * @param key the Kafka key, or {@code null} when unknown; when given it must be the record's own key, or a later
     *     tombstone of that key would not clear the record
     * @param json the value; a tombstone (null) is not a record and is the caller's business
     */
    public static ControlRecord decode(String key, String json) throws InvalidControlRecordException {
        if (json == null || json.isBlank()) {
            throw new InvalidControlRecordException("empty control record", List.of());
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidControlRecordException("not valid JSON", List.of(e.getOriginalMessage()));
        }
        if (!(root instanceof ObjectNode node)) {
            throw new InvalidControlRecordException("a control record must be a JSON object", List.of());
        }
        List<String> violations = SchemaValidator.get().validate(SchemaValidator.CONTROL_RECORD, node);
        if (!violations.isEmpty()) {
            throw new InvalidControlRecordException("invalid control record", violations);
        }
        boolean budget = BudgetAlert.SCOPE.equals(node.get("scope").asText());
        ControlRecord record;
        try {
            record = budget ? MAPPER.treeToValue(node, BudgetAlert.class) : MAPPER.treeToValue(node, KillSwitch.class);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new InvalidControlRecordException(
                    "cannot read control record",
                    List.of(String.valueOf(
                            e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage())));
        }
        if (key != null && !key.equals(record.key())) {
            throw new InvalidControlRecordException(
                    "key " + key + " does not match the record's key " + record.key(), List.of());
        }
        return record;
    }
}
