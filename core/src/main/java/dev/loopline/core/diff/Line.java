package dev.loopline.core.diff;

import java.util.Objects;

/**
 * One hunk line without its {@code +}/{@code -}/space marker. Line numbers are 1-based; a side the
 * line does not exist on has number 0 (removed lines have no new number, added lines no old number).
 */
public record Line(Kind kind, String text, int oldLineNo, int newLineNo) {

    public Line {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
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
}
