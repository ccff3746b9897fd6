package dev.loopline.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.loopline.schemas.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;

/**
 * The schema of a foreign format (shipped as a resource of this package), returning violations with the
 * JSON-Schema keyword so a reader can decide which ones are tolerated drift.
 */
final class DocumentSchema {

    /** One violation: the field path (a missing or extra property is named in the path), keyword, text. */
    record Violation(String path, String keyword, String message) {}

    private final JsonSchema schema;

    private DocumentSchema(JsonSchema schema) {
        this.schema = schema;
    }

    static DocumentSchema load(String resource, SpecVersion.VersionFlag version) {
        try (InputStream in = DocumentSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing schema resource " + resource);
            }
            JsonNode node = Json.mapper().readTree(in);
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                    .pathType(PathType.JSON_PATH)
                    .build();
            return new DocumentSchema(JsonSchemaFactory.getInstance(version).getSchema(node, config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Violation> validate(JsonNode node) {
        return schema.validate(node).stream()
                .map(DocumentSchema::toViolation)
                .sorted(Comparator.comparing(Violation::path))
                .toList();
    }

    private static Violation toViolation(ValidationMessage m) {
        String path = m.getInstanceLocation().toString();
        if (m.getProperty() != null && ("required".equals(m.getType()) || "additionalProperties".equals(m.getType()))) {
            path = path + "." + m.getProperty();
        }
        String message = m.getMessage();
        String prefix = m.getInstanceLocation() + ": ";
        if (message.startsWith(prefix)) {
            message = message.substring(prefix.length());
        }
        return new Violation(path, m.getType(), message);
    }
}
