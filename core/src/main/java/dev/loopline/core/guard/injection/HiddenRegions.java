package dev.loopline.core.guard.injection;

/**
 * Finds, in folded text, the spans a human reader of rendered Markdown or HTML does not see but a model reads:
 * HTML comments, alt/title/aria-label attributes, hidden elements (display:none, the hidden attribute, zero font
 * size, white text, collapsed details, template, noscript, picture), Markdown comment definitions
 * ({@code [//]: # (...)}), Markdown image alt text; and code comments, which a reviewer sees but rarely reads as
 * instructions. One pass; only '<', '[', '!', '/' and '#' start any work.
 */
final class HiddenRegions {
    static final int HIDDEN = 0;
    static final int COMMENT = 1;

    private static final int MAX_TAG = 4000;
    private static final int MAX_ELEMENT = 20000;
    private static final String[] TEXT_ATTRIBUTES = {
        "alt=", "title=", "aria-label=", "aria-description=", "placeholder=", "data-instructions=", "data-prompt="
    };
    private static final String[] HIDING_STYLES = {
        "display:none",
        "display: none",
        "visibility:hidden",
        "visibility: hidden",
        "font-size:0",
        "font-size: 0",
        "font-size:1px",
        "font-size: 1px",
        "opacity:0",
        "opacity: 0",
        "color:white",
        "color: white",
        "color:#fff",
        "color: #fff",
        "color:transparent",
        "color: transparent",
        "height:0",
        "height: 0",
        "left:-9999",
        "left: -9999",
        " hidden>",
        " hidden ",
        " hidden=",
        " hidden/",
        "aria-hidden=\"true\"",
    };
    private static final String[] HIDING_ELEMENTS = {"details", "template", "noscript", "picture", "script"};

    /** Regions as triples (start, end, kind); {@link #count()} of them. */
    private int[] regions = new int[24];

    private int size;

    private HiddenRegions() {}

    int count() {
        return size / 3;
    }

    int start(int r) {
        return regions[r * 3];
    }

    int end(int r) {
        return regions[r * 3 + 1];
    }

    int kind(int r) {
        return regions[r * 3 + 2];
    }

    private void add(int start, int end, int kind) {
        if (end <= start) {
            return;
        }
        if (size + 3 > regions.length) {
            regions = java.util.Arrays.copyOf(regions, regions.length * 2);
        }
        regions[size++] = start;
        regions[size++] = end;
        regions[size++] = kind;
    }

    static HiddenRegions find(MappedText text) {
        char[] c = text.chars;
        int len = text.length;
        HiddenRegions out = new HiddenRegions();
        int[] marks = text.marks();
        int i = -1;
        for (int m = 0; m < text.markCount(); m++) {
            if (marks[m] <= i) {
                continue; // inside a region already taken
            }
            i = marks[m];
            char ch = c[i];
            if (ch == '<') {
                i = out.tag(c, len, i);
            } else if (ch == '[' && (i == 0 || c[i - 1] == '\n')) {
                out.markdownComment(c, len, i);
            } else if (ch == '!' && i + 1 < len && c[i + 1] == '[') {
                int close = indexOf(c, len, i + 2, Math.min(len, i + 1000), ']');
                if (close > 0) {
                    out.add(i + 2, close, HIDDEN);
                }
            } else if (ch == '/' && i + 1 < len && (c[i + 1] == '/' || c[i + 1] == '*')) {
                if (c[i + 1] == '/' && i > 0 && c[i - 1] == ':') {
                    i++;
                    continue; // a URL scheme, not a comment
                }
                int end = c[i + 1] == '/' ? lineEnd(c, len, i) : indexOf(c, len, i + 2, len, "*/");
                end = end < 0 ? Math.min(len, i + MAX_ELEMENT) : end;
                out.add(i + 2, end, COMMENT);
                i = Math.max(i, end - 1);
            } else if (ch == '#' && atLineStart(c, i) && i + 1 < len && c[i + 1] != '!') {
                int end = lineEnd(c, len, i);
                out.add(i + 1, end, COMMENT);
                i = end - 1;
            }
        }
        return out;
    }

    private int tag(char[] c, int len, int i) {
        if (startsWith(c, len, i, "<!--")) {
            int end = indexOf(c, len, i + 4, len, "-->");
            end = end < 0 ? len : end;
            add(i + 4, end, HIDDEN);
            return Math.max(i, end - 1);
        }
        int k = i + 1;
        while (k < len && ((c[k] >= 'a' && c[k] <= 'z') || (c[k] >= '0' && c[k] <= '9') || c[k] == '-')) {
            k++;
        }
        if (k == i + 1) {
            return i;
        }
        int tagEnd = indexOf(c, len, k, Math.min(len, k + MAX_TAG), '>');
        if (tagEnd < 0) {
            tagEnd = Math.min(len, k + MAX_TAG);
        }
        String element = null;
        for (String e : HIDING_ELEMENTS) {
            if (k - i - 1 == e.length() && startsWith(c, len, i + 1, e)) {
                element = e;
            }
        }
        boolean attributes = indexOf(c, len, k, tagEnd, '=') >= 0;
        if (attributes) {
            for (String attribute : TEXT_ATTRIBUTES) {
                int at = indexOf(c, tagEnd, k, tagEnd, attribute);
                while (at >= 0) {
                    int v = at + attribute.length();
                    if (v < tagEnd && (c[v] == '"' || c[v] == '\'')) {
                        int close = indexOf(c, len, v + 1, Math.min(len, v + MAX_TAG), c[v]);
                        add(v + 1, close < 0 ? tagEnd : close, HIDDEN);
                    }
                    at = indexOf(c, tagEnd, v, tagEnd, attribute);
                }
            }
        }
        boolean hiding = element != null;
        boolean styled = attributes || indexOf(c, len, k, tagEnd, " hidden") >= 0;
        for (int s = 0; !hiding && styled && s < HIDING_STYLES.length; s++) {
            hiding = indexOf(c, len, k - 1, Math.min(len, tagEnd + 1), HIDING_STYLES[s]) >= 0;
        }
        if (hiding && tagEnd < len) {
            String name = new String(c, i + 1, k - i - 1);
            int close = indexOf(c, len, tagEnd + 1, Math.min(len, tagEnd + 1 + MAX_ELEMENT), "</" + name);
            add(tagEnd + 1, close < 0 ? Math.min(len, tagEnd + 1 + MAX_ELEMENT) : close, HIDDEN);
        }
        return i;
    }

    /** {@code [//]: # (text)}, {@code [comment]: <> "text"}: a link definition that renders as nothing. */
    private void markdownComment(char[] c, int len, int i) {
        int close = indexOf(c, len, i + 1, Math.min(len, i + 100), ']');
        if (close < 0 || close + 1 >= len || c[close + 1] != ':') {
            return;
        }
        int k = close + 2;
        while (k < len && c[k] == ' ') {
            k++;
        }
        if (k < len && (c[k] == '#' || startsWith(c, len, k, "<>") || startsWith(c, len, k, "//"))) {
            add(k, lineEnd(c, len, k), HIDDEN);
        }
    }

    private static boolean atLineStart(char[] c, int i) {
        int k = i - 1;
        while (k >= 0 && c[k] == ' ') {
            k--;
        }
        return k < 0 || c[k] == '\n';
    }

    static int lineEnd(char[] c, int len, int i) {
        while (i < len && c[i] != '\n') {
            i++;
        }
        return i;
    }

    static boolean startsWith(char[] c, int len, int i, String s) {
        if (i + s.length() > len) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (c[i + k] != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(char[] c, int len, int from, int to, char wanted) {
        for (int i = from; i < to && i < len; i++) {
            if (c[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    static int indexOf(char[] c, int len, int from, int to, String wanted) {
        char first = wanted.charAt(0);
        int last = Math.min(to, len) - wanted.length();
        for (int i = Math.max(from, 0); i <= last; i++) {
            if (c[i] == first && startsWith(c, len, i, wanted)) {
                return i;
            }
        }
        return -1;
    }
}
