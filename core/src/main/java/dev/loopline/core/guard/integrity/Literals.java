package dev.loopline.core.guard.integrity;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Literal values in one line of source: numbers, quoted strings and the boolean/null words. One pass over
 * the characters, no regular expressions. A line's <em>skeleton</em> is its whitespace-free text with every
 * literal replaced by one placeholder, so two lines with equal skeletons differ only in literal values.
 */
final class Literals {

    private static final char HOLE = '\u0000';
    private static final String[] WORDS = {"true", "false", "True", "False", "None", "null", "nil", "undefined"};

    private Literals() {}

    /** The values of the literals in {@code t}, strings without their quotes, in order. */
    static List<String> values(String t) {
        List<String> out = new ArrayList<>(4);
        int n = t.length();
        int i = 0;
        while (i < n) {
            char c = t.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                int end = closingQuote(t, i + 1, c);
                out.add(t.substring(i + 1, end));
                i = end + 1;
            } else if (isNumberStart(t, i)) {
                int end = numberEnd(t, i);
                out.add(normalizeNumber(t.substring(i, end)));
                i = end;
            } else if (Character.isLetter(c) || c == '_' || c == '$') {
                int end = identEnd(t, i);
                String word = wordAt(t, i, end);
                if (word != null && (i == 0 || t.charAt(i - 1) != '.')) {
                    out.add(word);
                }
                i = end;
            } else {
                i++;
            }
        }
        return out;
    }

    /**
     * Adds to {@code found} the number and string literals of {@code t} that are in {@code wanted}. Only quotes
     * and digits are looked at, and a string is copied only when its length is one of {@code lengths} (bit
     * {@code n} set for length {@code n}, bit 63 for 63 and more), so a pass over a large test file allocates
     * little.
     */
    static void collect(String t, Set<String> wanted, long lengths, Set<String> found) {
        int n = t.length();
        boolean inIdentifier = false;
        int i = 0;
        while (i < n) {
            char c = t.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || c == '.') {
                inIdentifier = c != '.' || inIdentifier;
                i++;
            } else if (c >= '0' && c <= '9') {
                if (inIdentifier) {
                    i++;
                    continue; // x2, a.b3: digits inside an identifier
                }
                int end = numberEnd(t, i);
                int start = i > 0 && t.charAt(i - 1) == '-' && isNumberStart(t, i - 1) ? i - 1 : i;
                {
                    String v = normalizeNumber(t.substring(start, end));
                    if (wanted.contains(v)) {
                        found.add(v);
                    }
                }
                i = end;
            } else if (c == '"' || c == '\'' || c == '`') {
                inIdentifier = false;
                int end = closingQuote(t, i + 1, c);
                int len = end - i - 1;
                if ((lengths & (1L << Math.min(63, len))) != 0) {
                    String v = t.substring(i + 1, end);
                    if (wanted.contains(v)) {
                        found.add(v);
                    }
                }
                i = end + 1;
            } else {
                inIdentifier = false;
                i++;
            }
        }
    }

    /** Whitespace-free text with each literal replaced by a placeholder; comments are kept as text. */
    static String skeleton(String t) {
        int n = t.length();
        StringBuilder b = new StringBuilder(n);
        int i = 0;
        while (i < n) {
            char c = t.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = closingQuote(t, i + 1, c) + 1;
                b.append(HOLE);
            } else if (isNumberStart(t, i)) {
                i = numberEnd(t, i);
                b.append(HOLE);
            } else if (Character.isLetter(c) || c == '_' || c == '$') {
                int end = identEnd(t, i);
                if (wordAt(t, i, end) != null && (i == 0 || t.charAt(i - 1) != '.')) {
                    b.append(HOLE);
                } else {
                    b.append(t, i, end);
                }
                i = end;
            } else {
                if (!Character.isWhitespace(c)) {
                    b.append(c);
                }
                i++;
            }
        }
        return b.toString();
    }

    /** Whether the line holds at least one literal. */
    static boolean hasLiteral(String skeleton) {
        return skeleton.indexOf(HOLE) >= 0;
    }

    /** Values too common to tell a test input from anything else. */
    static boolean isTrivial(String v) {
        if (v.length() < 2) {
            return v.isEmpty() || v.charAt(0) < '3' || v.charAt(0) > '9';
        }
        for (String w : WORDS) {
            if (w.equals(v)) {
                return true;
            }
        }
        return v.equals("-1") || v.equals("0.0") || v.equals("1.0") || v.isBlank();
    }

    private static String wordAt(String t, int from, int end) {
        int len = end - from;
        for (String w : WORDS) {
            if (w.length() == len && t.startsWith(w, from)) {
                return w;
            }
        }
        return null;
    }

    private static int closingQuote(String t, int from, char q) {
        int n = t.length();
        int i = from;
        while (i < n) {
            char c = t.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == q) {
                return i;
            }
            i++;
        }
        return n; // unterminated: to the end of the line
    }

    private static boolean isNumberStart(String t, int i) {
        char c = t.charAt(i);
        boolean digit = c >= '0' && c <= '9';
        if (!digit) {
            if (c != '-' || i + 1 >= t.length()) {
                return false;
            }
            char d = t.charAt(i + 1);
            if (d < '0' || d > '9') {
                return false;
            }
            // A minus sign is part of the number only where a value starts (after an operator or opener).
            int p = i - 1;
            while (p >= 0 && t.charAt(p) == ' ') {
                p--;
            }
            if (p >= 0) {
                char before = t.charAt(p);
                if (Character.isLetterOrDigit(before) || before == ')' || before == ']' || before == '_') {
                    return false;
                }
            }
            return true;
        }
        if (i > 0) {
            char before = t.charAt(i - 1);
            return !(Character.isLetterOrDigit(before) || before == '_' || before == '$' || before == '.');
        }
        return true;
    }

    private static int numberEnd(String t, int i) {
        int n = t.length();
        int j = i + 1;
        while (j < n) {
            char c = t.charAt(j);
            if (Character.isLetterOrDigit(c)
                    || c == '_'
                    || (c == '.' && j + 1 < n && Character.isDigit(t.charAt(j + 1)))) {
                j++;
            } else {
                break;
            }
        }
        return j;
    }

    private static int identEnd(String t, int i) {
        int n = t.length();
        int j = i + 1;
        while (j < n) {
            char c = t.charAt(j);
            if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
                j++;
            } else {
                break;
            }
        }
        return j;
    }

    private static String normalizeNumber(String raw) {
        String v = raw.replace("_", "");
        int n = v.length();
        if (n > 1) {
            char last = v.charAt(n - 1);
            if ((last == 'L' || last == 'l' || last == 'f' || last == 'F' || last == 'd' || last == 'D')
                    && !v.startsWith("0x")
                    && !v.startsWith("0X")) {
                v = v.substring(0, n - 1);
            }
        }
        return v;
    }
}
