package dev.loopline.schemas.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.schemas.json.Json;
import dev.loopline.schemas.json.SchemaValidator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The maker fields of the LLM makers in the spec schema and the record, and that older specs stay valid. */
class LoopSpecSchemaTest {

    private static final String LLM_SPEC =
            """
            {"id": "docs", "kind": "assisted-fix", "level": "L2", "target": {"repo": "/r"},
             "maker": {"type": "anthropic", "model": "claude-sonnet-4-5", "baseUrl": "http://127.0.0.1:8089",
                       "apiKeyEnv": "TEAM_ANTHROPIC_KEY", "maxTurns": 12}}
            """;

    @Test
    void anLlmMakerWithBaseUrlKeyVariableAndMaxTurnsIsValidAndReadIntoTheRecord() throws Exception {
        assertThat(SchemaValidator.get().validate(SchemaValidator.LOOP_SPEC, LLM_SPEC))
                .isEmpty();

        LoopSpec.Maker maker = Json.mapper().readValue(LLM_SPEC, LoopSpec.class).maker();

        assertThat(maker.type()).isEqualTo("anthropic");
        assertThat(maker.model()).isEqualTo("claude-sonnet-4-5");
        assertThat(maker.baseUrl()).isEqualTo("http://127.0.0.1:8089");
        assertThat(maker.apiKeyEnv()).isEqualTo("TEAM_ANTHROPIC_KEY");
        assertThat(maker.maxTurns()).isEqualTo(12);
    }

    @Test
    void aSpecWithoutMaxTurnsStaysValidAndWritesNoMaxTurns() throws Exception {
        LoopSpec spec = LoopSpec.builder(
                        "docs", LoopSpec.Kind.ASSISTED_FIX, LoopSpec.Level.L2, new LoopSpec.Target("/r", null))
                .maker(new LoopSpec.Maker("openai", "gpt-4.1", null, null, null, null, "OPENAI_API_KEY"))
                .build();

        JsonNode json = Json.mapper().valueToTree(spec);

        assertThat(SchemaValidator.get().validate(SchemaValidator.LOOP_SPEC, json))
                .isEmpty();
        assertThat(json.get("maker").has("maxTurns")).isFalse();
        assertThat(spec.maker().maxTurns()).isNull();
    }

    @Test
    void maxTurnsMustBeAPositiveBoundedInteger() {
        for (String bad : List.of("0", "-1", "501", "2.5", "\"20\"")) {
            String spec = LLM_SPEC.replace("\"maxTurns\": 12", "\"maxTurns\": " + bad);
            assertThat(SchemaValidator.get().validate(SchemaValidator.LOOP_SPEC, spec))
                    .as("maxTurns %s", bad)
                    .isNotEmpty()
                    .allSatisfy(v -> assertThat(v).contains("maxTurns"));
        }
    }

    @Test
    void anApiKeyCannotBeWrittenWhereTheNameOfItsVariableBelongs() {
        String spec = LLM_SPEC.replace("TEAM_ANTHROPIC_KEY", "sk-ant-api03-abc-def");

        assertThat(SchemaValidator.get().validate(SchemaValidator.LOOP_SPEC, spec))
                .singleElement()
                .asString()
                .contains("apiKeyEnv");
    }
}
