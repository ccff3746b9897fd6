package dev.loopline.core.guard.command;

/**
 * Linear-time glob matching for policy patterns: {@code ?} matches one character, {@code *} any run of
 * characters except a space, so {@code rm -rf target*} cannot be stretched over {@code rm -rf target /}.
 */
final class Glob {
    private Glob() {}

    static boolean matches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int starP = -1;
        int starT = -1;
        while (t < text.length()) {
            if (p < pattern.length()) {
                char pc = pattern.charAt(p);
                if (pc == '*') {
                    starP = p++;
                    starT = t;
                    continue;
                }
                if (pc == '?' || pc == text.charAt(t)) {
                    p++;
                    t++;
                    continue;
                }
            }
            // backtrack to the last star, which may not swallow a space
            if (starP >= 0 && text.charAt(starT) != ' ') {
                p = starP + 1;
                t = ++starT;
                continue;
            }
            return false;
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
