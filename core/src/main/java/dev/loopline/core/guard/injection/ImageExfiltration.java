package dev.loopline.core.guard.injection;

/**
 * Finds images and links whose URL is built to carry data out: a Markdown image ({@code ![x](url)}, reference
 * images), an HTML {@code <img src>}/{@code srcset}, or a link, pointing at an absolute URL with a template
 * placeholder ({@code {secret}}, {@code {{x}}}, {@code $VAR}, {@code <data>}, {@code [DATA]}, an upper-case
 * {@code ?q=DATA}, a parameter left empty at the end) or with a query value naming conversation or secret
 * content. An image is fetched as soon as it is rendered, with no click, so an image is high and a link medium.
 * Works on folded text; the original is consulted only for upper-case placeholders.
 */
final class ImageExfiltration {
    interface Sink {
        void found(Severity severity, int from, int to);
    }

    private static final String[] SECRET_WORDS = {
        "secret",
        "token",
        "password",
        "passwd",
        "api_key",
        "apikey",
        "api-key",
        "credential",
        "conversation",
        "chat",
        "history",
        "memory",
        "summary",
        "private",
        "ssh",
        "cookie",
        "session",
        "env",
        "data",
        "info",
        "content",
        "message",
        "prompt",
        "user"
    };

    private ImageExfiltration() {}

    static void scan(MappedText text, String original, Sink sink) {
        char[] c = text.chars;
        int len = text.length;
        boolean images = false;
        int refDefsFrom = -1;
        int[] marks = text.marks();
        for (int m = 0; m < text.markCount(); m++) {
            int i = marks[m];
            char ch = c[i];
            if (ch == '!' && i + 1 < len && c[i + 1] == '[') {
                images = true;
                int close = HiddenRegions.indexOf(c, len, i + 2, Math.min(len, i + 1000), ']');
                if (close > 0 && close + 1 < len && c[close + 1] == '(') {
                    url(c, len, close + 2, ')', text, original, true, sink);
                }
            } else if (ch == ']' && i + 1 < len && c[i + 1] == '(') {
                url(c, len, i + 2, ')', text, original, false, sink);
            } else if (ch == '<'
                    && (HiddenRegions.startsWith(c, len, i, "<img")
                            || HiddenRegions.startsWith(c, len, i, "<source")
                            || HiddenRegions.startsWith(c, len, i, "<image")
                            || HiddenRegions.startsWith(c, len, i, "<video"))) {
                int end = HiddenRegions.indexOf(c, len, i, Math.min(len, i + 4000), '>');
                end = end < 0 ? Math.min(len, i + 4000) : end;
                for (String attribute : new String[] {"src=", "srcset=", "poster=", "href="}) {
                    int at = HiddenRegions.indexOf(c, end, i, end, attribute);
                    if (at >= 0) {
                        int v = at + attribute.length();
                        char quote = v < len && (c[v] == '"' || c[v] == '\'') ? c[v] : ' ';
                        url(c, len, quote == ' ' ? v : v + 1, quote == ' ' ? '>' : quote, text, original, true, sink);
                    }
                }
            } else if (ch == '[' && (i == 0 || c[i - 1] == '\n') && refDefsFrom < 0) {
                refDefsFrom = i;
            }
        }
        if (refDefsFrom >= 0) {
            // reference definitions "[id]: https://..." serve images when the text has any image at all
            for (int m = 0; m < text.markCount(); m++) {
                int i = marks[m];
                if (c[i] == '[' && (i == 0 || c[i - 1] == '\n')) {
                    int close = HiddenRegions.indexOf(c, len, i + 1, Math.min(len, i + 200), ']');
                    if (close > 0 && close + 1 < len && c[close + 1] == ':') {
                        int k = close + 2;
                        while (k < len && c[k] == ' ') {
                            k++;
                        }
                        url(c, len, k, ' ', text, original, images, sink);
                    }
                }
            }
        }
    }

    private static void url(
            char[] c, int len, int from, char terminator, MappedText text, String original, boolean image, Sink sink) {
        int scheme;
        if (HiddenRegions.startsWith(c, len, from, "https://")) {
            scheme = 8;
        } else if (HiddenRegions.startsWith(c, len, from, "http://")) {
            scheme = 7;
        } else if (HiddenRegions.startsWith(c, len, from, "//")) {
            scheme = 2;
        } else {
            return; // relative: a file of the repository
        }
        int end = from + scheme;
        int depth = 0;
        while (end < len && end - from < 4000 && c[end] != '\n') {
            char ch = c[end];
            if (ch == '{' || ch == '(' || ch == '[' || ch == '<') {
                depth++;
            } else if ((ch == '}' || ch == ']' || ch == '>' || ch == ')') && depth > 0) {
                depth--;
            } else if (ch == terminator) {
                break;
            } else if (ch == ' ' && (terminator == ' ' || terminator == '>')) {
                break;
            }
            end++;
        }
        int hostEnd = from + scheme;
        while (hostEnd < end && c[hostEnd] != '/' && c[hostEnd] != '?' && c[hostEnd] != '#') {
            hostEnd++;
        }
        if (dataCarrying(c, hostEnd, end, text, original)) {
            sink.found(image ? Severity.HIGH : Severity.MEDIUM, from, end);
        }
    }

    private static boolean dataCarrying(char[] c, int from, int to, MappedText text, String original) {
        int query = -1;
        for (int i = from; i < to; i++) {
            char ch = c[i];
            if (ch == '{' || ch == '}' || ch == '<' || ch == '>' || ch == '[' || ch == ']') {
                return true;
            }
            if (ch == '$'
                    && i + 1 < to
                    && (c[i + 1] == '{' || c[i + 1] == '_' || (c[i + 1] >= 'a' && c[i + 1] <= 'z'))) {
                return true;
            }
            if (ch == '%' && i + 1 < to && c[i + 1] == 's' && (i + 2 >= to || !Lexicon.isWordChar(c[i + 2]))) {
                return true;
            }
            if (ch == '?' && query < 0) {
                query = i;
            }
        }
        if (query < 0) {
            return false;
        }
        if (c[to - 1] == '=') {
            return true; // "?q=" left for the reader to fill in
        }
        // each value of the query string
        int i = query + 1;
        while (i < to) {
            int eq = i;
            while (eq < to && c[eq] != '=' && c[eq] != '&') {
                eq++;
            }
            int valueEnd = eq;
            while (valueEnd < to && c[valueEnd] != '&' && c[valueEnd] != '#') {
                valueEnd++;
            }
            if (eq < to && c[eq] == '=' && placeholderValue(c, eq + 1, valueEnd, text, original)) {
                return true;
            }
            i = valueEnd + 1;
        }
        return false;
    }

    private static boolean placeholderValue(char[] c, int from, int to, MappedText text, String original) {
        if (to <= from) {
            return false;
        }
        for (String w : SECRET_WORDS) {
            if (to - from <= w.length() + 12 && HiddenRegions.indexOf(c, to, from, to, w) >= 0) {
                return true;
            }
        }
        // an upper-case word in the original: ?data=SECRET, ?q=USER_INPUT
        int upper = 0;
        boolean beyondHex = false;
        for (int i = from; i < to; i++) {
            int o = text.origin[i];
            char orig = o < original.length() ? original.charAt(o) : c[i];
            if (orig >= 'A' && orig <= 'Z') {
                upper++;
                beyondHex |= orig > 'F';
            } else if (orig != '_' && orig != '-') {
                return false;
            }
        }
        return upper >= 3 && beyondHex;
    }
}
