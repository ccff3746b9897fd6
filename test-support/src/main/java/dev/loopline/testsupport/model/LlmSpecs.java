package dev.loopline.testsupport.model;

import dev.loopline.schemas.json.Json;
import dev.loopline.schemas.spec.LoopSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the maker part of a spec for an LLM maker as a spec file would: from its JSON fields, so tests do not depend
 * on which constructors {@link LoopSpec.Maker} has.
 */
public final class LlmSpecs {

    private LlmSpecs() {}

    public static LoopSpec.Maker maker(String type, String model, String baseUrl, String apiKeyEnv, Integer maxTurns) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("type", type);
        fields.put("model", model);
        if (baseUrl != null) {
            fields.put("baseUrl", baseUrl);
        }
        if (apiKeyEnv != null) {
            fields.put("apiKeyEnv", apiKeyEnv);
        }
        if (maxTurns != null) {
            fields.put("maxTurns", maxTurns);
        }
        return Json.mapper().convertValue(fields, LoopSpec.Maker.class);
    }
}
