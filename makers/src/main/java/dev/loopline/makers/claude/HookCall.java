package dev.loopline.makers.claude;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.loopline.schemas.json.Json;
import java.io.IOException;

/**
 * One call of a Claude Code hook, as the CLI hands it to the hook on standard input.
 *
 * @param event {@code PreToolUse}, {@code PostToolUse}, {@code PostToolUseFailure}, {@code SessionStart}
 * @param toolName e.g. {@code Bash}, {@code Write}, {@code WebFetch}, {@code mcp__server__tool}; empty for session
 *     events
 * @param toolInput the call's arguments ({@code command}, {@code file_path}, …); a missing node when absent
 * @param toolResponse what the tool returned (PostToolUse); a missing node when absent
 * @param cwd the directory the CLI runs the call in
 * @param toolUseId the call's id, the same in its PreToolUse and PostToolUse
 */
public record HookCall(
        String event, String toolName, JsonNode toolInput, JsonNode toolResponse, String cwd, String toolUseId) {

    public static final String PRE_TOOL_USE = "PreToolUse";
    public static final String POST_TOOL_USE = "PostToolUse";
    public static final String POST_TOOL_USE_FAILURE = "PostToolUseFailure";
    public static final String SESSION_START = "SessionStart";

    /**
     * @throws IOException when the body is not a JSON object naming its hook event
     */
    public static HookCall parse(byte[] body) throws IOException {
        JsonNode doc = Json.mapper().readTree(body);
        if (doc == null || !doc.isObject() || !doc.path("hook_event_name").isTextual()) {
            throw new IOException("not a hook call: a JSON object with hook_event_name is expected");
        }
        return new HookCall(
                doc.path("hook_event_name").asText(),
                doc.path("tool_name").asText(""),
                doc.has("tool_input") ? doc.get("tool_input") : MissingNode.getInstance(),
                doc.has("tool_response") ? doc.get("tool_response") : MissingNode.getInstance(),
                doc.path("cwd").asText(""),
                doc.path("tool_use_id").asText(""));
    }

    /** A text argument of the call, or null when it is absent or not text. */
    public String input(String field) {
        JsonNode value = toolInput.path(field);
        return value.isTextual() ? value.asText() : null;
    }
}
