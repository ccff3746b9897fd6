package dev.loopline.schemas.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.schemas.json.Json;
import dev.loopline.schemas.json.SchemaValidator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The claude-code maker's spec fields: optional, validated, and absent from older specs without harm. */
class MakerSpecSchemaTest {

    private static final String SPEC =
            """
            {"id": "fix-flaky", "kind": "assisted-fix", "level": "L2", "target": {"repo": "/srv/r"},
             "maker": %s}
            """;

    private static List<String> violations(String maker) throws Exception {
        JsonNode spec = Json.mapper().readTree(SPEC.formatted(maker));
        return SchemaValidator.get().validate(SchemaValidator.LOOP_SPEC, spec);
    }

    @Test
    void theMakerTypesListIsTheSchemasEnum() throws Exception {
        JsonNode schema;
        try (var in = LoopSpec.class.getResourceAsStream("/dev/loopline/schemas/spec/loop-spec.schema.json")) {
            schema = Json.mapper().readTree(in);
        }
        List<String> enumerated = new java.util.ArrayList<>();
        schema.at("/properties/maker/properties/type/enum").forEach(t -> enumerated.add(t.asText()));

        assertThat(LoopSpec.Maker.TYPES).containsExactlyElementsOf(enumerated);
    }

    @Test
    void aClaudeCodeMakerWithTurnsAndToolsIsValidAndDecodes() throws Exception {
        String maker =
                """
                {"type": "claude-code", "model": "claude-sonnet-4-5", "maxTurns": 12,
                 "allowedTools": ["Edit", "Bash(npm test:*)", "WebFetch"]}
                """;

        assertThat(violations(maker)).isEmpty();
        LoopSpec.Maker decoded = Json.mapper().readValue(maker, LoopSpec.Maker.class);
        assertThat(decoded.maxTurns()).isEqualTo(12);
        assertThat(decoded.allowedTools()).containsExactly("Edit", "Bash(npm test:*)", "WebFetch");
    }

    @Test
    void aMakerWithoutTheNewFieldsStaysValidAndEncodesWithoutThem() throws Exception {
        LoopSpec.Maker maker = new LoopSpec.Maker("mock", null, null, List.of(), 5);

        String json = Json.mapper().writeValueAsString(maker);

        assertThat(violations(json)).isEmpty();
        assertThat(json).doesNotContain("maxTurns", "allowedTools");
    }

    @Test
    void turnsBelowOneAndBlankToolNamesAreRejected() throws Exception {
        assertThat(violations("{\"type\": \"claude-code\", \"maxTurns\": 0}"))
                .singleElement()
                .asString()
                .contains("maxTurns");
        assertThat(violations("{\"type\": \"claude-code\", \"allowedTools\": [\"\"]}"))
                .singleElement()
                .asString()
                .contains("allowedTools");
        assertThat(violations("{\"type\": \"claude-code\", \"allowedTools\": \"Edit\"}"))
                .isNotEmpty();
    }
}
