package dev.loopline.core.guard.command;

/** The input is not a shell script the guard can understand; it is never allowed. */
final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    ParseException(String message) {
        super(message, null, false, false);
    }
}
