package dev.loopline.core.guard.integrity;

import java.util.ArrayList;
import java.util.List;

/**
 * Literal prefixes grouped by their first character, so a line is compared only with the few prefixes
 * that can match it instead of with the whole list. Lookups keep the declaration order of the list.
 */
final class PrefixTable {

    private static final int ASCII = 128;
    private static final String[] NONE = new String[0];

    private final String[][] byFirstChar = new String[ASCII][];

    PrefixTable(String... prefixes) {
        List<List<String>> groups = new ArrayList<>(ASCII);
        for (int c = 0; c < ASCII; c++) {
            groups.add(new ArrayList<>());
        }
        for (String p : prefixes) {
            char first = p.charAt(0);
            if (first >= ASCII) {
                throw new IllegalArgumentException("prefix must start with an ASCII character: " + p);
            }
            groups.get(first).add(p);
        }
        for (int c = 0; c < ASCII; c++) {
            List<String> g = groups.get(c);
            byFirstChar[c] = g.isEmpty() ? NONE : g.toArray(new String[0]);
        }
    }

    /** The prefixes that start with {@code t}'s first character, in declaration order. */
    String[] candidates(String t) {
        if (t.isEmpty()) {
            return NONE;
        }
        char c = t.charAt(0);
        return c < ASCII ? byFirstChar[c] : NONE;
    }

    boolean anyPrefixOf(String t) {
        String[] ps = candidates(t);
        if (ps.length == 0) {
            return false;
        }
        // Most candidates already differ in the second character: one char comparison instead of startsWith.
        int second = t.length() > 1 ? t.charAt(1) : -1;
        for (String p : ps) {
            if ((p.length() == 1 || p.charAt(1) == second) && t.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
