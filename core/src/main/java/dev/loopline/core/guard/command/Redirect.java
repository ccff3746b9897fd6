package dev.loopline.core.guard.command;

/**
 * A redirection attached to a command.
 *
 * @param op the operator: one of {@code > >> >| &> &>> <> < << <<- <<< >& <&}
 * @param fd the explicit file descriptor, or -1
 * @param target the word after the operator (for heredocs: the delimiter)
 * @param body the text fed to stdin by a heredoc or here-string, else null
 */
record Redirect(String op, int fd, Word target, String body) {

    /** True when this redirection opens its target for writing (fd duplications excluded). */
    boolean writesFile() {
        return switch (op) {
            case ">", ">>", ">|", "&>", "&>>", "<>" -> true;
            case ">&" -> !isFdNumberOrDash(target.text());
            default -> false;
        };
    }

    private static boolean isFdNumberOrDash(String s) {
        if (s.equals("-")) {
            return true;
        }
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return i == s.length() - 1 && c == '-' && i > 0;
            }
        }
        return true;
    }
}
