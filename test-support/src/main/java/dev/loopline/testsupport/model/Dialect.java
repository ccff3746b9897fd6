package dev.loopline.testsupport.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopline.schemas.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire format of one provider, as a test server speaks it: chat-completions answers (OpenAI) or Messages API
 * answers (Anthropic) carrying a tool call or a final text, with usage; and where the tool results and the key are in
 * the requests the maker sends. Written from the providers' API references, independently of LangChain4j's mappers.
 */
public enum Dialect {
    OPENAI {
        @Override
        public String baseUrl(ScriptedModelServer server) {
            return server.url() + "/v1";
        }

        @Override
        public String path() {
            return "/v1/chat/completions";
        }

        @Override
        public String toolCall(String id, String tool, ObjectNode arguments, int inputTokens, int outputTokens) {
            ObjectNode call = Json.mapper().createObjectNode().put("id", id).put("type", "function");
            call.putObject("function").put("name", tool).put("arguments", arguments.toString());
            ObjectNode message = Json.mapper().createObjectNode().put("role", "assistant");
            message.putNull("content");
            message.putArray("tool_calls").add(call);
            return completion(message, "tool_calls", inputTokens, outputTokens);
        }

        @Override
        public String answer(String text, int inputTokens, int outputTokens) {
            ObjectNode message =
                    Json.mapper().createObjectNode().put("role", "assistant").put("content", text);
            return completion(message, "stop", inputTokens, outputTokens);
        }

        @Override
        public List<String> toolResults(JsonNode requestBody) {
            List<String> results = new ArrayList<>();
            for (JsonNode message : requestBody.path("messages")) {
                if (message.path("role").asText().equals("tool")) {
                    results.add(message.path("content").asText());
                }
            }
            return results;
        }

        @Override
        public List<String> toolNames(JsonNode requestBody) {
            List<String> names = new ArrayList<>();
            requestBody
                    .path("tools")
                    .forEach(t -> names.add(t.path("function").path("name").asText()));
            return names;
        }

        @Override
        public String key(ScriptedModelServer.Received request) {
            String authorization = request.header("Authorization");
            return authorization == null ? null : authorization.replaceFirst("^Bearer ", "");
        }

        @Override
        public String error(String type, String message) {
            ObjectNode body = Json.mapper().createObjectNode();
            body.putObject("error").put("message", message).put("type", type);
            return body.toString();
        }

        private String completion(ObjectNode message, String finish, int in, int out) {
            ObjectNode body = Json.mapper()
                    .createObjectNode()
                    .put("id", "chatcmpl-test")
                    .put("object", "chat.completion")
                    .put("created", 1_760_000_000)
                    .put("model", "test-model");
            ArrayNode choices = body.putArray("choices");
            ObjectNode choice = choices.addObject().put("index", 0).put("finish_reason", finish);
            choice.set("message", message);
            body.putObject("usage")
                    .put("prompt_tokens", in)
                    .put("completion_tokens", out)
                    .put("total_tokens", in + out);
            return body.toString();
        }
    },

    ANTHROPIC {
        @Override
        public String baseUrl(ScriptedModelServer server) {
            // the API root, as ANTHROPIC_BASE_URL is given to Anthropic's SDKs: the maker adds /v1
            return server.url();
        }

        @Override
        public String path() {
            return "/v1/messages";
        }

        @Override
        public String toolCall(String id, String tool, ObjectNode arguments, int inputTokens, int outputTokens) {
            ObjectNode block = Json.mapper()
                    .createObjectNode()
                    .put("type", "tool_use")
                    .put("id", id)
                    .put("name", tool);
            block.set("input", arguments);
            return message(block, "tool_use", inputTokens, outputTokens);
        }

        @Override
        public String answer(String text, int inputTokens, int outputTokens) {
            ObjectNode block =
                    Json.mapper().createObjectNode().put("type", "text").put("text", text);
            return message(block, "end_turn", inputTokens, outputTokens);
        }

        @Override
        public List<String> toolResults(JsonNode requestBody) {
            List<String> results = new ArrayList<>();
            for (JsonNode message : requestBody.path("messages")) {
                for (JsonNode block : message.path("content")) {
                    if (block.path("type").asText().equals("tool_result")) {
                        JsonNode content = block.path("content");
                        if (content.isTextual()) {
                            results.add(content.asText());
                        } else {
                            StringBuilder text = new StringBuilder();
                            content.forEach(
                                    part -> text.append(part.path("text").asText()));
                            results.add(text.toString());
                        }
                    }
                }
            }
            return results;
        }

        @Override
        public List<String> toolNames(JsonNode requestBody) {
            List<String> names = new ArrayList<>();
            requestBody.path("tools").forEach(t -> names.add(t.path("name").asText()));
            return names;
        }

        @Override
        public String key(ScriptedModelServer.Received request) {
            return request.header("x-api-key");
        }

        @Override
        public String error(String type, String message) {
            ObjectNode body = Json.mapper().createObjectNode().put("type", "error");
            body.putObject("error").put("type", type).put("message", message);
            return body.toString();
        }

        private String message(ObjectNode block, String stopReason, int in, int out) {
            ObjectNode body = Json.mapper()
                    .createObjectNode()
                    .put("id", "msg_test")
                    .put("type", "message")
                    .put("role", "assistant")
                    .put("model", "test-model")
                    .put("stop_reason", stopReason);
            body.putArray("content").add(block);
            body.putObject("usage").put("input_tokens", in).put("output_tokens", out);
            return body.toString();
        }
    };

    /** What {@code spec.maker.baseUrl} is for this server. */
    public abstract String baseUrl(ScriptedModelServer server);

    /** The path the maker posts to. */
    public abstract String path();

    public abstract String toolCall(String id, String tool, ObjectNode arguments, int inputTokens, int outputTokens);

    public abstract String answer(String text, int inputTokens, int outputTokens);

    /** The tool results a request carries back to the model, in order. */
    public abstract List<String> toolResults(JsonNode requestBody);

    /** The tools a request offers the model. */
    public abstract List<String> toolNames(JsonNode requestBody);

    /** The API key a request authenticated with. */
    public abstract String key(ScriptedModelServer.Received request);

    /** An error body in the provider's shape. */
    public abstract String error(String type, String message);

    /** {@code spec.maker.type}. */
    public String makerType() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static ObjectNode args(String... namesAndValues) {
        ObjectNode args = Json.mapper().createObjectNode();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            args.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return args;
    }
}
