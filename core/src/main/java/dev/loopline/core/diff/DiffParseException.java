package dev.loopline.core.diff;

/** The input is not a unified diff this parser can vouch for. Callers fail closed. */
public final class DiffParseException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int lineNumber;
    private final String expected;

    public DiffParseException(int lineNumber, String expected) {
        super("line " + lineNumber + ": expected " + expected);
        this.lineNumber = lineNumber;
        this.expected = expected;
    }

    /** 1-based input line at which parsing stopped. */
    public int lineNumber() {
        return lineNumber;
    }

    /** What the parser expected to find there. */
    public String expected() {
        return expected;
    }
}
