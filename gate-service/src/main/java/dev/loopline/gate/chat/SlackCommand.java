package dev.loopline.gate.chat;

import java.util.Locale;
import java.util.Optional;

/**
 * The text of {@code /loopline approve|reject|status <id> [comment]}: the verb, the request id and the rest as the
 * comment. Anything else is no command (the caller answers with the usage).
 */
public record SlackCommand(Verb verb, String approvalId, String comment) {

    public enum Verb {
        APPROVE,
        REJECT,
        STATUS
    }

    public static final String USAGE = "Usage: `/loopline approve <id> [comment]`, `/loopline reject <id> <comment>`,"
            + " `/loopline status <id>`";

    public static Optional<SlackCommand> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String[] parts = text.strip().split("\\s+", 3);
        if (parts.length < 2 || parts[1].isBlank()) {
            return Optional.empty();
        }
        Verb verb;
        switch (parts[0].toLowerCase(Locale.ROOT)) {
            case "approve" -> verb = Verb.APPROVE;
            case "reject" -> verb = Verb.REJECT;
            case "status" -> verb = Verb.STATUS;
            default -> {
                return Optional.empty();
            }
        }
        String comment = parts.length == 3 && !parts[2].isBlank() ? parts[2].strip() : null;
        return Optional.of(new SlackCommand(verb, parts[1], comment));
    }
}
