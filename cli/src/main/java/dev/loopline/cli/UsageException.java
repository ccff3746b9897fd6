package dev.loopline.cli;

/**
 * The caller asked for something the verb cannot do: a missing, empty or unreadable input, a bad policy file.
 * Exits {@link ExitCodes#USAGE}; the message names what is wrong and how to fix it.
 */
final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
