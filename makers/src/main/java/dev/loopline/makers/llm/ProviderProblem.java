package dev.loopline.makers.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.schemas.json.Json;
import java.nio.charset.StandardCharsets;

/**
 * What a provider said went wrong, in one line: the {@code error.message} (and {@code error.type}) of an OpenAI or
 * Anthropic error body, or the start of whatever else it sent.
 */
final class ProviderProblem {

    static final int MAX_CHARS = 300;

    private ProviderProblem() {}

    static String describe(byte[] body) {
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        try {
            JsonNode json = Json.mapper().readTree(text);
            JsonNode error = json == null ? null : json.get("error");
            if (error != null && error.isObject() && error.path("message").isTextual()) {
                String type = error.path("type").isTextual() ? error.get("type").asText() + ": " : "";
                return oneLine(type + error.get("message").asText());
            }
            if (error != null && error.isTextual()) {
                return oneLine(error.asText());
            }
            if (json != null && json.path("message").isTextual()) {
                return oneLine(json.get("message").asText());
            }
        } catch (Exception notJson) {
            // described by its text below
        }
        return text.isBlank() ? "(empty body)" : oneLine(text);
    }

    static String oneLine(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= MAX_CHARS ? flat : flat.substring(0, MAX_CHARS) + "…";
    }
}
