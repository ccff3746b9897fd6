package dev.loopline.core.guard.injection;

import java.util.Arrays;

/**
 * Decides whether a payload is quoted rather than said: inside a fenced code block, an inline code span, quotation
 * marks or a Markdown block quote. Together with explanatory words elsewhere in the text ("prompt injection",
 * "attacker", "for example") a quoted payload is an explanation of an attack, which the scanner lowers to medium:
 * lowered, never erased, because an attacker can quote too.
 *
 * <p>Only the fence positions are collected for the whole text (with {@link String#indexOf}, which is fast);
 * everything else is read on the payload's own line.
 */
final class QuotedContext {
    private static final char[][] PAIRS = {
        {'`', '`'}, {'"', '"'}, {'\u201c', '\u201d'}, {'\u00ab', '\u00bb'}, {'\u300c', '\u300d'}, {'\'', '\''}
    };

    private final String text;
    private int[] fences;
    private int fenceCount = -1;

    QuotedContext(String text) {
        this.text = text;
    }

    /** Starts of the lines that open or close a fenced block (``` or ~~~ after at most three spaces). */
    private void findFences() {
        int[] f = new int[8];
        int n = 0;
        for (String marker : new String[] {"```", "~~~"}) {
            for (int at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + 3)) {
                int lineStart = text.lastIndexOf('\n', at - 1) + 1;
                if (at - lineStart <= 3 && text.substring(lineStart, at).isBlank()) {
                    if (n == f.length) {
                        f = Arrays.copyOf(f, n * 2);
                    }
                    f[n++] = lineStart;
                }
                int lineEnd = text.indexOf('\n', at);
                if (lineEnd < 0) {
                    break;
                }
                at = lineEnd - 2; // one fence per line
            }
        }
        Arrays.sort(f, 0, n);
        fences = f;
        fenceCount = n;
    }

    /** The quoted span around {@code offset} as {start, end}, or null when the offset is not quoted. */
    int[] around(int offset) {
        if (fenceCount < 0) {
            findFences();
        }
        int before = 0;
        while (before < fenceCount && fences[before] <= offset) {
            before++;
        }
        if (before % 2 == 1) {
            int end = before < fenceCount ? fences[before] : text.length();
            return new int[] {fences[before - 1], end};
        }
        int start = text.lastIndexOf('\n', offset - 1) + 1;
        int end = text.indexOf('\n', offset);
        end = end < 0 ? text.length() : end;
        int k = start;
        while (k < end && text.charAt(k) == ' ') {
            k++;
        }
        if (k < end && text.charAt(k) == '>') {
            return new int[] {start, end};
        }
        for (char[] pair : PAIRS) {
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
}
