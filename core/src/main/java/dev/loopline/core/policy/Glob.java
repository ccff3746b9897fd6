package dev.loopline.core.policy;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A compiled, anchored path glob. {@code **} crosses {@code /} and {@code **}{@code /} also matches
 * zero directories; {@code *} and {@code ?} stay within one segment; {@code [abc]}, {@code [a-z]}
 * and {@code [!abc]} are character classes; {@code {a,b}} is an alternation. A leading {@code /} or
 * {@code ./} is ignored: globs are relative to the repository root.
 *
 * <p>The glob is compiled to a regular expression, which defines these semantics. ASCII paths against
 * globs in {@link GlobMatcher}'s subset are answered by that matcher instead, identically and without
 * regex backtracking.
 */
public final class Glob {

    private final String glob;
    private final boolean caseInsensitive;
    private final Pattern pattern;
    /** The fast path for ASCII paths, or null when the glob needs the regular expression. */
    private final GlobMatcher matcher;

    private Glob(String glob, boolean caseInsensitive, Pattern pattern) {
        this.glob = glob;
        this.caseInsensitive = caseInsensitive;
        this.pattern = pattern;
        this.matcher = GlobMatcher.compile(normalize(glob), caseInsensitive);
    }

    public static Glob compile(String glob, boolean caseInsensitive) {
        Objects.requireNonNull(glob, "glob");
        if (glob.isBlank()) {
            throw new IllegalArgumentException("empty glob");
        }
        int flags = caseInsensitive ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
        try {
            return new Glob(glob, caseInsensitive, Pattern.compile(toRegex(glob), flags | Pattern.DOTALL));
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid glob '" + glob + "': " + e.getDescription(), e);
        }
    }

    public boolean matches(String path) {
        if (path == null) {
            return false;
        }
        String p = normalize(path);
        return matchesNormalized(p, GlobMatcher.accepts(p) ? GlobMatcher.lowerAscii(p) : null);
    }

    /**
     * @param p a normalized path
     * @param lowerAscii {@link GlobMatcher#lowerAscii} of {@code p} when {@code p} is ASCII, else null
     */
    boolean matchesNormalized(String p, String lowerAscii) {
        if (matcher != null && lowerAscii != null) {
            return matcher.matches(p, lowerAscii);
        }
        return pattern.matcher(p).matches();
    }

    /** Whether this glob has the non-regex matcher; for tests. */
    boolean hasFastMatcher() {
        return matcher != null;
    }

    public String glob() {
        return glob;
    }

    public boolean caseInsensitive() {
        return caseInsensitive;
    }

    static String normalize(String path) {
        String p = path;
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p;
    }

    /** Translates a glob to an anchored regular expression (used by {@link GlobSet} too). */
    static String toRegex(String glob) {
        String g = normalize(glob);
        StringBuilder re = new StringBuilder(g.length() * 2);
        int braces = 0;
        int n = g.length();
        for (int i = 0; i < n; i++) {
            char c = g.charAt(i);
            switch (c) {
                case '*' -> {
                    boolean dbl = i + 1 < n && g.charAt(i + 1) == '*';
                    boolean segmentStart = i == 0 || g.charAt(i - 1) == '/';
                    if (dbl && segmentStart && i + 2 < n && g.charAt(i + 2) == '/') {
                        re.append("(?:.*/)?"); // "**/": zero or more directories
                        i += 2;
                    } else if (dbl) {
                        re.append(".*");
                        i++;
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                case '[' -> {
                    int close = g.indexOf(']', i + 2);
                    if (close < 0) {
                        re.append("\\[");
                    } else {
                        re.append('[');
                        int j = i + 1;
                        if (g.charAt(j) == '!' || g.charAt(j) == '^') {
                            re.append('^');
                            j++;
                        }
                        for (; j < close; j++) {
                            char k = g.charAt(j);
                            if (k == '\\' || k == '[' || k == '&' || k == '^') {
                                re.append('\\');
                            }
                            re.append(k);
                        }
                        re.append(']');
                        i = close;
                    }
                }
                case '{' -> {
                    braces++;
                    re.append("(?:");
                }
                case '}' -> {
                    if (braces > 0) {
                        braces--;
                        re.append(')');
                    } else {
                        re.append("\\}");
                    }
                }
                case ',' -> re.append(braces > 0 ? "|" : ",");
                case '\\' -> {
                    if (i + 1 < n) {
                        re.append(Pattern.quote(String.valueOf(g.charAt(++i))));
                    } else {
                        re.append("\\\\");
                    }
                }
                default -> {
                    if ("().+|^$@%".indexOf(c) >= 0) {
                        re.append('\\');
                    }
                    re.append(c);
                }
            }
        }
        while (braces-- > 0) {
            re.append(')');
        }
        return re.toString();
    }

    @Override
    public String toString() {
        return glob;
    }
}
