package dev.loopline.makers.claude;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * The text a tool's result puts in front of the model: every string in it, keys left out, so that a payload
 * split over fields or nested in JSON is scanned as prose. Bounded: past {@link #MAX_CHARS} the rest is dropped.
 */
final class ToolResultText {

    static final int MAX_CHARS = 1 << 20;

    private ToolResultText() {}

    static String of(JsonNode response) {
        if (response == null || response.isMissingNode() || response.isNull()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.push(response);
        while (!pending.isEmpty() && text.length() < MAX_CHARS) {
            JsonNode node = pending.pop();
            if (node.isTextual()) {
                text.append(node.asText()).append('\n');
            } else if (node.isContainerNode()) {
                // reversed onto the stack so the text keeps the document's order
                Deque<JsonNode> children = new ArrayDeque<>();
                for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                    children.push(it.next());
                }
                children.forEach(pending::push);
            }
        }
        return text.length() <= MAX_CHARS ? text.toString() : text.substring(0, MAX_CHARS);
    }
}
