package dev.loopline.makers.claude;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.schemas.events.Usage;
import dev.loopline.schemas.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The result the CLI prints with {@code --output-format json}: one JSON object of {@code "type": "result"}.
 *
 * @param subtype {@code success}, {@code error_max_turns}, {@code error_during_execution} …
 * @param inputTokens prompt tokens not read from the cache
 * @param denials the calls the CLI did not run: blocked by a hook, or not allowed by {@code --allowedTools}
 */
public record ClaudeCodeOutput(
        String subtype,
        boolean error,
        String result,
        int turns,
        double costUsd,
        long inputTokens,
        long outputTokens,
        long cacheCreationTokens,
        long cacheReadTokens,
        List<Denial> denials) {

    /** A call the CLI refused, with what it would have done. */
    public record Denial(String tool, String toolUseId, String input) {}

    public ClaudeCodeOutput {
        denials = List.copyOf(denials);
    }

    public boolean succeeded() {
        return !error && "success".equals(subtype);
    }

    /**
     * The tokens for the budget: every prompt token the model processed, cached or not, counts as input. A cap that
     * left out cache reads would let a long session (the CLI sends its whole prompt again on every turn) look nearly
     * free; the true price, cache discounts included, is {@link #costUsd()}.
     */
    public Usage usage() {
        return new Usage(inputTokens + cacheCreationTokens + cacheReadTokens, outputTokens);
    }

    /** The last line of {@code stdout} that is the CLI's result object, if any. */
    public static Optional<ClaudeCodeOutput> parse(String stdout) {
        String[] lines = stdout.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            if (!line.startsWith("{")) {
                continue;
            }
            JsonNode doc;
            try {
                doc = Json.mapper().readTree(line);
            } catch (java.io.IOException e) {
                continue;
            }
            if (doc != null && "result".equals(doc.path("type").asText())) {
                return Optional.of(of(doc));
            }
        }
        return Optional.empty();
    }

    private static ClaudeCodeOutput of(JsonNode doc) {
        long[] tokens = tokens(doc);
        List<Denial> denials = new ArrayList<>();
        for (JsonNode d : doc.path("permission_denials")) {
            denials.add(new Denial(
                    d.path("tool_name").asText(""),
                    d.path("tool_use_id").asText(""),
                    d.path("tool_input").toString()));
        }
        String result = doc.path("result").isTextual()
                ? doc.path("result").asText()
                : String.join("; ", texts(doc.path("errors")));
        return new ClaudeCodeOutput(
                doc.path("subtype").asText(""),
                doc.path("is_error").asBoolean(false),
                result,
                doc.path("num_turns").asInt(0),
                doc.path("total_cost_usd").asDouble(0),
                tokens[0],
                tokens[1],
                tokens[2],
                tokens[3],
                denials);
    }

    /**
     * Input, output, cache-write and cache-read tokens of every model call of the run. {@code modelUsage} counts them
     * all, per model; {@code usage} only the main conversation, not the calls the CLI makes on the side (WebFetch
     * hands each page to a model), so it is the fallback.
     */
    private static long[] tokens(JsonNode doc) {
        JsonNode perModel = doc.path("modelUsage");
        if (perModel.isObject() && !perModel.isEmpty()) {
            long[] sum = new long[4];
            for (JsonNode model : perModel) {
                sum[0] += model.path("inputTokens").asLong(0);
                sum[1] += model.path("outputTokens").asLong(0);
                sum[2] += model.path("cacheCreationInputTokens").asLong(0);
                sum[3] += model.path("cacheReadInputTokens").asLong(0);
            }
            return sum;
        }
        JsonNode usage = doc.path("usage");
        return new long[] {
            usage.path("input_tokens").asLong(0),
            usage.path("output_tokens").asLong(0),
            usage.path("cache_creation_input_tokens").asLong(0),
            usage.path("cache_read_input_tokens").asLong(0)
        };
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.isTextual() ? n.asText() : n.toString()));
        return out;
    }
}
