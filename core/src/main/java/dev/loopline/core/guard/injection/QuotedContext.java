package dev.loopline.core.guard.injection;

/**
 * Decides whether a payload is quoted rather than said: inside a fenced code block, an inline code span, quotation
 * marks or a Markdown block quote. Together with explanatory words elsewhere in the text ("prompt injection",
 * "attacker", "for example") a quoted payload is an explanation of an attack, which the scanner lowers to medium:
 * lowered, never erased, because an attacker can quote too.
 */
final class QuotedContext {
    private final String text;
    private final boolean[] fenceOpenAtLine;
    private final int[] lineStarts;

    QuotedContext(String text) {
        this.text = text;
        int lines = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines++;
            }
        }
        lineStarts = new int[lines];
        fenceOpenAtLine = new boolean[lines];
        int line = 0;
        boolean open = false;
        lineStarts[0] = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStarts[line] = i + 1;
            }
        }
        for (int l = 0; l < lines; l++) {
            int s = lineStarts[l];
            int k = s;
            while (k < text.length() && k - s < 4 && text.charAt(k) == ' ') {
                k++;
            }
            boolean fence = text.startsWith("```", k) || text.startsWith("~~~", k);
            if (fence) {
                fenceOpenAtLine[l] = false;
                open = !open;
            } else {
                fenceOpenAtLine[l] = open;
            }
        }
    }

    /** The quoted span around {@code offset} as {start, end}, or null when the offset is not quoted. */
    int[] around(int offset) {
        int line = lineOf(offset);
        if (fenceOpenAtLine[line]) {
            int from = line;
            while (from > 0 && fenceOpenAtLine[from - 1]) {
                from--;
            }
            int to = line;
            while (to + 1 < fenceOpenAtLine.length && fenceOpenAtLine[to + 1]) {
                to++;
            }
            return new int[] {lineStarts[from], lineEnd(to)};
        }
        int start = lineStarts[line];
        int end = lineEnd(line);
        int k = start;
        while (k < end && text.charAt(k) == ' ') {
            k++;
        }
        if (k < end && text.charAt(k) == '>') {
            return new int[] {start, end};
        }
        for (char[] pair : new char[][] {
            {'`', '`'}, {'"', '"'}, {'\u201c', '\u201d'}, {'\u00ab', '\u00bb'}, {'\u300c', '\u300d'}, {'\'', '\''}
        }) {
            int open = -1;
            for (int i = start; i < offset; i++) {
                char ch = text.charAt(i);
                if (open < 0 && ch == pair[0]) {
                    open = i;
                } else if (open >= 0 && ch == pair[1]) {
                    open = -1;
                }
            }
            if (open >= 0) {
                int close = text.indexOf(pair[1], offset);
                if (close >= 0 && close <= end) {
                    return new int[] {open, close + 1};
                }
            }
        }
        return null;
    }

    private int lineEnd(int line) {
        return line + 1 < lineStarts.length ? lineStarts[line + 1] - 1 : text.length();
    }

    private int lineOf(int offset) {
        int lo = 0;
        int hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
