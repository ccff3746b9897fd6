package dev.loopline.makers.claude;

import java.io.IOException;
import java.util.Optional;

/**
 * The HTTP answer to one call of the hook script ({@link ClaudeCodeSettings}): {@code 204} lets the call be,
 * {@code 200} with a plain-text message blocks it (or tells Claude something after it), {@code 404} answers a call
 * that belongs to no live session (an unknown token, or a caller not on this host). The script turns anything but
 * 204 and 200 into a block. One mapping for every server that answers the script: agent-service's route and the
 * CLI's local hook server.
 *
 * @param status 204, 200 or 404
 * @param text the message of a 200, empty otherwise
 */
public record HookReply(int status, String text) {

    public static final HookReply NOT_FOUND = new HookReply(404, "");

    /** The session's answer to the call in {@code body}; a body that cannot be read is blocked and recorded. */
    public static HookReply to(Optional<HookSession> session, byte[] body) {
        if (session.isEmpty()) {
            return NOT_FOUND;
        }
        HookAnswer answer;
        try {
            answer = session.get().answer(HookCall.parse(body));
        } catch (IOException | RuntimeException e) {
            answer = session.get().unreadable("the hook call could not be read: " + e.getMessage());
        }
        if (answer instanceof HookAnswer.Block block) {
            return new HookReply(200, block.message());
        }
        if (answer instanceof HookAnswer.Notice notice) {
            return new HookReply(200, notice.message());
        }
        return new HookReply(204, "");
    }
}
