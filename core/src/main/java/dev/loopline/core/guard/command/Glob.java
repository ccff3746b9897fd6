package dev.loopline.core.guard.command;

/**
 * Glob matching for policy patterns without regex: {@code ?} matches one character, {@code *} a run of
 * characters. In allow exceptions {@code *} stops at a space, so {@code rm -rf target*} cannot be stretched
 * over {@code rm -rf target /}; in deny rules it crosses spaces, so {@code apply*} also denies
 * {@code apply -auto-approve}.
 */
final class Glob {
    private Glob() {}

    /** Allow-exception semantics: {@code *} never swallows a space. */
    static boolean matches(String pattern, String text) {
        return matches(pattern, text, false);
    }

    static boolean matches(String pattern, String text, boolean starCrossesSpaces) {
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
            if (starP >= 0 && (starCrossesSpaces || text.charAt(starT) != ' ')) {
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
