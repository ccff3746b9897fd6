package dev.loopline.core.policy;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The regex-based glob semantics as they were before {@link GlobMatcher}: a frozen copy of the original
 * translation and of {@link GlobSet}'s original first-match logic, kept in test scope as the oracle the new
 * matcher is compared against.
 */
final class RegexGlobOracle {

    private RegexGlobOracle() {}

    static boolean matches(String glob, boolean caseInsensitive, String path) {
        return path != null
                && compile(glob, caseInsensitive).matcher(Glob.normalize(path)).matches();
    }

    /** The original {@code GlobSet.firstMatch}: a combined alternation first, then each glob in order. */
    static int firstMatch(List<String> globs, List<Boolean> caseInsensitive, boolean setCaseInsensitive, String p) {
        StringBuilder sb = new StringBuilder();
        for (String g : globs) {
            if (sb.length() > 0) {
                sb.append('|');
            }
            sb.append("(?:").append(toRegex(g)).append(')');
        }
        int flags = Pattern.DOTALL | (setCaseInsensitive ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        if (globs.isEmpty() || !Pattern.compile(sb.toString(), flags).matcher(p).matches()) {
            return -1;
        }
        for (int i = 0; i < globs.size(); i++) {
            if (matches(globs.get(i), caseInsensitive.get(i), p)) {
                return i;
            }
        }
        return -1;
    }

    static Pattern compile(String glob, boolean caseInsensitive) {
        int flags = caseInsensitive ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
        return Pattern.compile(toRegex(glob), flags | Pattern.DOTALL);
    }

    static String toRegex(String glob) {
        String g = Glob.normalize(glob);
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
}
