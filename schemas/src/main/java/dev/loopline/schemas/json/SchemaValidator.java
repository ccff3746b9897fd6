package dev.loopline.schemas.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates JSON against the canonical schemas shipped in this module. Schemas reference each other by
 * their {@code $id} under {@value #ID_PREFIX}, mapped to the classpath, so nothing is fetched remotely.
 */
public final class SchemaValidator {

    public static final String ID_PREFIX = "https://loopline.dev/schemas/";
    public static final String ENVELOPE = "events/envelope.schema.json";
    public static final String LOOP_SPEC = "spec/loop-spec.schema.json";
    public static final String DEAD_LETTER = "events/dead-letter.schema.json";
    public static final String CONTROL_RECORD = "control/control-record.schema.json";

    private static final SchemaValidator INSTANCE = new SchemaValidator();

    private final JsonSchemaFactory factory;
    private final SchemaValidatorsConfig config;
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    private SchemaValidator() {
        factory = JsonSchemaFactory.getInstance(
                SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaMappers(m -> m.mapPrefix(ID_PREFIX, "classpath:dev/loopline/schemas/")));
        config = SchemaValidatorsConfig.builder()
                .formatAssertionsEnabled(true)
                .pathType(PathType.JSON_PATH)
                .build();
    }

    public static SchemaValidator get() {
        return INSTANCE;
    }

    /**
     * Validates a node against a schema given relative to {@value #ID_PREFIX} (e.g. {@link #ENVELOPE}).
     *
     * @return violations as "path: message", sorted; empty when valid
     */
    public List<String> validate(String schema, JsonNode node) {
        JsonSchema compiled =
                schemas.computeIfAbsent(schema, s -> factory.getSchema(SchemaLocation.of(ID_PREFIX + s), config));
        return compiled.validate(node).stream()
                .sorted(Comparator.comparing(
                        ValidationMessage::getInstanceLocation, Comparator.comparing(Object::toString)))
                .map(ValidationMessage::getMessage)
                .toList();
    }

    /** Validates JSON text; a syntax error is reported as a violation, never thrown. */
    public List<String> validate(String schema, String json) {
        try {
            JsonNode node = Json.mapper().readTree(json);
            return validate(schema, node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return List.of("not valid JSON: " + e.getOriginalMessage());
        }
    }
}
