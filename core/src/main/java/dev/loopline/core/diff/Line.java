package dev.loopline.core.diff;

import java.util.Objects;

/**
 * One hunk line without its {@code +}/{@code -}/space marker. Line numbers are 1-based; a side the
 * line does not exist on has number 0 (removed lines have no new number, added lines no old number).
 *
 * <p>A value class with the accessors, equality and string form of a record. Lines made by {@link
 * DiffParser} keep offsets into the diff text and copy their text out only when {@link #text()} is first
 * read: most lines of a large diff are never read, and copying each one dominated parsing. Such a line
 * keeps the whole diff text reachable for as long as the line itself is.
 */
public final class Line {

    private final Kind kind;
    private final int oldLineNo;
    private final int newLineNo;
    private final String source;
    private final int start;
    private final int end;
    /** The text once materialized; a benign race, as {@link String} is immutable and safely published. */
    private String text;

    public Line(Kind kind, String text, int oldLineNo, int newLineNo) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.text = Objects.requireNonNull(text, "text");
        this.oldLineNo = oldLineNo;
        this.newLineNo = newLineNo;
        this.source = null;
        this.start = 0;
        this.end = 0;
    }

    /** A line whose text is {@code source.substring(start, end)}, copied on first use. */
    Line(Kind kind, String source, int start, int end, int oldLineNo, int newLineNo) {
        this.kind = kind;
        this.source = source;
        this.start = start;
        this.end = end;
        this.oldLineNo = oldLineNo;
        this.newLineNo = newLineNo;
    }

    public Kind kind() {
        return kind;
    }

    public String text() {
        String t = text;
        if (t == null) {
            t = source.substring(start, end);
            text = t;
        }
        return t;
    }

    /**
     * {@code text().strip()}; a parsed line whose text was not read yet is trimmed on the diff text and
     * copied once, not twice.
     */
    public String strippedText() {
        String t = text;
        if (t != null) {
            return t.strip();
        }
        int b = start;
        int e = end;
        // Surrogates are never white space, so testing chars equals String.strip's code-point test.
        while (b < e && isWhitespace(source.charAt(b))) {
            b++;
        }
        while (e > b && isWhitespace(source.charAt(e - 1))) {
            e--;
        }
        return source.substring(b, e);
    }

    /**
     * {@link Character#isWhitespace(char)}, answered without the table lookup for the characters indentation is
     * made of and for printable ASCII, none of which is white space.
     */
    private static boolean isWhitespace(char c) {
        if (c == ' ' || c == '\t') {
            return true;
        }
        return (c < ' ' || c >= 128) && Character.isWhitespace(c);
    }

    /** {@code text().isBlank()}, without copying the text of a parsed line out of the diff text. */
    public boolean isBlank() {
        String t = text;
        if (t != null) {
            return t.isBlank();
        }
        for (int i = start; i < end; i++) {
            if (!Character.isWhitespace(source.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    public int oldLineNo() {
        return oldLineNo;
    }

    public int newLineNo() {
        return newLineNo;
    }

    /** The marker a line carries in a unified diff. */
    public enum Kind {
        ADDED('+'),
        REMOVED('-'),
        CONTEXT(' ');

        private final char marker;

        Kind(char marker) {
            this.marker = marker;
        }

        public char marker() {
            return marker;
        }
    }

    /** The line number that locates this line: new side when it exists there, else old side. */
    public int lineNo() {
        return newLineNo > 0 ? newLineNo : oldLineNo;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Line other
                && kind == other.kind
                && oldLineNo == other.oldLineNo
                && newLineNo == other.newLineNo
                && text().equals(other.text());
    }

    @Override
    public int hashCode() {
        return ((kind.hashCode() * 31 + text().hashCode()) * 31 + oldLineNo) * 31 + newLineNo;
    }

    @Override
    public String toString() {
        return "Line[kind=" + kind + ", text=" + text() + ", oldLineNo=" + oldLineNo + ", newLineNo=" + newLineNo + "]";
    }
}
