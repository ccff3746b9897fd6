package dev.loopline.core.policy;

import java.util.Arrays;

/**
 * A purpose-built matcher for the ASCII globs that policies actually use: literals, {@code *}, {@code ?},
 * {@code **}, {@code **}{@code /} and simple character classes ({@code [abc]}, {@code [a-z0-9]}, {@code
 * [!abc]}). It runs the glob as a small NFA over a bit set of positions, so no input makes it backtrack, and
 * it rejects most paths before that with literal prefix, suffix and required-substring checks.
 *
 * <p>It answers exactly as the regular expression {@link Glob#toRegex} builds for the same glob. Globs
 * outside that subset (alternations, escapes, other class syntax, non-ASCII text, more than 62 positions)
 * get no matcher ({@link #compile} returns null), and paths with non-ASCII characters are not for it
 * ({@link #accepts}); callers use the regular expression for both, whose Unicode case folding and code-point
 * semantics this matcher does not reimplement.
 */
final class GlobMatcher {

    private static final int LITERAL = 0;
    /** {@code *}: any run of characters other than {@code /}. */
    private static final int STAR = 1;
    /** {@code ?}: one character other than {@code /}. */
    private static final int ONE = 2;
    /** A character class; it can match {@code /} (as the regular expression does). */
    private static final int CLASS = 3;
    /** {@code **}: any run of characters. */
    private static final int ANY = 4;
    /** The {@code .*} of {@code **}{@code /}, whose {@code (?:.*}{@code /)?} may also be skipped whole. */
    private static final int DIRS = 5;

    private static final int MAX_STATES = 62;
    private static final int ASCII = 128;

    private final boolean caseInsensitive;
    private final int[] type;
    /** Literal characters, lower-cased when case-insensitive. */
    private final char[] literal;

    private final boolean[][] classes;
    /** Epsilon closure of each position: the positions reachable without reading a character. */
    private final long[] closure;

    private final int states;
    private final String prefix;
    private final String suffix;
    private final String required;

    private GlobMatcher(boolean caseInsensitive, int[] type, char[] literal, boolean[][] classes, int n) {
        this.caseInsensitive = caseInsensitive;
        this.type = type;
        this.literal = literal;
        this.classes = classes;
        this.states = n;
        this.closure = new long[n + 1];
        closure[n] = 1L << n;
        for (int k = n - 1; k >= 0; k--) {
            long c = 1L << k;
            if (type[k] == STAR || type[k] == ANY || type[k] == DIRS) {
                c |= closure[k + 1];
            }
            if (type[k] == DIRS) {
                c |= closure[k + 2]; // the whole "**/" matches zero directories
            }
            closure[k] = c;
        }
        this.prefix = leadingLiterals();
        this.suffix = trailingLiterals();
        this.required = longestMandatoryRun();
    }

    /** Compiles the normalized glob {@code g}, or returns null when it is outside this matcher's subset. */
    static GlobMatcher compile(String g, boolean caseInsensitive) {
        int n = g.length();
        int[] type = new int[n + 1];
        char[] lit = new char[n + 1];
        boolean[][] classes = new boolean[n + 1][];
        int k = 0;
        for (int i = 0; i < n; i++) {
            char c = g.charAt(i);
            if (c >= ASCII || c == '{' || c == '\\') {
                return null;
            }
            if (k + 2 > MAX_STATES) {
                return null;
            }
            switch (c) {
                case '*' -> {
                    boolean dbl = i + 1 < n && g.charAt(i + 1) == '*';
                    boolean segmentStart = i == 0 || g.charAt(i - 1) == '/';
                    if (dbl && segmentStart && i + 2 < n && g.charAt(i + 2) == '/') {
                        type[k++] = DIRS;
                        type[k] = LITERAL;
                        lit[k++] = '/';
                        i += 2;
                    } else if (dbl) {
                        type[k++] = ANY;
                        i++;
                    } else {
                        type[k++] = STAR;
                    }
                }
                case '?' -> type[k++] = ONE;
                case '[' -> {
                    int close = g.indexOf(']', i + 2);
                    if (close < 0) {
                        type[k] = LITERAL;
                        lit[k++] = fold('[', caseInsensitive);
                    } else {
                        boolean[] table = characterClass(g, i + 1, close, caseInsensitive);
                        if (table == null) {
                            return null;
                        }
                        type[k] = CLASS;
                        classes[k++] = table;
                        i = close;
                    }
                }
                default -> {
                    type[k] = LITERAL;
                    lit[k++] = fold(c, caseInsensitive);
                }
            }
        }
        return new GlobMatcher(
                caseInsensitive, Arrays.copyOf(type, k), Arrays.copyOf(lit, k), Arrays.copyOf(classes, k), k);
    }

    /**
     * A class of single ASCII letters, digits, {@code _} and {@code .}, and ranges between letters or digits,
     * optionally negated; anything else (which the regular expression reads in its own way) returns null.
     */
    private static boolean[] characterClass(String g, int from, int to, boolean caseInsensitive) {
        int j = from;
        boolean negate = g.charAt(j) == '!' || g.charAt(j) == '^';
        if (negate) {
            j++;
        }
        if (j >= to) {
            return null;
        }
        boolean[] plain = new boolean[ASCII];
        while (j < to) {
            char lo = g.charAt(j);
            if (!isClassChar(lo)) {
                return null;
            }
            char hi = lo;
            if (j + 2 < to && g.charAt(j + 1) == '-') {
                hi = g.charAt(j + 2);
                if (!Character.isLetterOrDigit(lo) || !Character.isLetterOrDigit(hi) || hi < lo || !isClassChar(hi)) {
                    return null;
                }
                j += 3;
            } else if (j + 1 < to && g.charAt(j + 1) == '-') {
                return null; // a trailing '-' is literal to the regex; not worth mirroring
            } else {
                j++;
            }
            for (char c = lo; c <= hi; c++) {
                plain[c] = true;
            }
        }
        boolean[] table = new boolean[ASCII];
        for (char c = 0; c < ASCII; c++) {
            // The regex's case-insensitive class tests the character, its upper case and that one's lower case.
            boolean in = plain[c]
                    || (caseInsensitive && (plain[upper(c)] || plain[lower(upper(c))]))
                    || (caseInsensitive && plain[lower(c)]);
            table[c] = in != negate;
        }
        return table;
    }

    private static boolean isClassChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    }

    /** Whether this matcher may judge {@code path}: only ASCII paths are. */
    static boolean accepts(String path) {
        for (int i = 0, n = path.length(); i < n; i++) {
            if (path.charAt(i) >= ASCII) {
                return false;
            }
        }
        return true;
    }

    /** ASCII lower case of an ASCII path, for case-insensitive matching; computed once per path. */
    static String lowerAscii(String path) {
        for (int i = 0, n = path.length(); i < n; i++) {
            char c = path.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] out = path.toCharArray();
                for (int j = i; j < n; j++) {
                    out[j] = lower(out[j]);
                }
                return new String(out);
            }
        }
        return path;
    }

    /**
     * @param path a normalized, ASCII path ({@link #accepts})
     * @param lowerPath {@link #lowerAscii} of {@code path}
     */
    boolean matches(String path, String lowerPath) {
        String p = caseInsensitive ? lowerPath : path;
        int n = p.length();
        if (!p.startsWith(prefix) || !p.endsWith(suffix) || (!required.isEmpty() && !p.contains(required))) {
            return false;
        }
        int start = prefix.length();
        long cur = closure[start];
        long accept = 1L << states;
        for (int i = start; i < n; i++) {
            char ch = p.charAt(i);
            long next = 0;
            for (long s = cur; s != 0; s &= s - 1) {
                int k = Long.numberOfTrailingZeros(s);
                if (k == states) {
                    continue;
                }
                switch (type[k]) {
                    case LITERAL -> {
                        if (literal[k] == ch) {
                            next |= closure[k + 1];
                        }
                    }
                    case STAR -> {
                        if (ch != '/') {
                            next |= closure[k];
                        }
                    }
                    case ONE -> {
                        if (ch != '/') {
                            next |= closure[k + 1];
                        }
                    }
                    case CLASS -> {
                        // Class tables are case-closed, so the lower-cased character answers as the original.
                        if (classes[k][ch]) {
                            next |= closure[k + 1];
                        }
                    }
                    case ANY -> next |= closure[k];
                        // Inside "(?:.*/)?" once a character is read: the group can no longer be skipped.
                    default -> next |= (1L << k) | closure[k + 1];
                }
            }
            if (next == 0) {
                return false;
            }
            cur = next;
        }
        return (cur & accept) != 0;
    }

    /** Leading literal characters that every match starts with. */
    private String leadingLiterals() {
        int k = 0;
        while (k < states && type[k] == LITERAL) {
            k++;
        }
        return new String(literal, 0, k);
    }

    /** Trailing literal characters that every match ends with (the {@code /} of a {@code **}{@code /} is optional). */
    private String trailingLiterals() {
        int k = states;
        while (k > 0 && type[k - 1] == LITERAL && !(k - 2 >= 0 && type[k - 2] == DIRS)) {
            k--;
        }
        if (k < prefix.length()) {
            return ""; // an all-literal glob: the prefix check already covers it
        }
        return new String(literal, k, states - k);
    }

    /** The longest run of literal characters every match contains. */
    private String longestMandatoryRun() {
        String best = "";
        int k = 0;
        while (k < states) {
            if (type[k] != LITERAL || (k > 0 && type[k - 1] == DIRS)) {
                k++;
                continue;
            }
            int end = k;
            while (end < states && type[end] == LITERAL && !(end > 0 && type[end - 1] == DIRS)) {
                end++;
            }
            if (end - k > best.length()) {
                best = new String(literal, k, end - k);
            }
            k = end;
        }
        return best;
    }

    private static char fold(char c, boolean caseInsensitive) {
        return caseInsensitive ? lower(c) : c;
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    private static char upper(char c) {
        return c >= 'a' && c <= 'z' ? (char) (c - ('a' - 'A')) : c;
    }
}
