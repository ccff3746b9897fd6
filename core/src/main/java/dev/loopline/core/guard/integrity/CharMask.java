package dev.loopline.core.guard.integrity;

/**
 * The set of ASCII characters in a piece of text, as 128 bits. A line can contain a literal only if its mask
 * covers the literal's mask, and that also holds for the line with whitespace removed, so one pass over the line
 * lets most {@code contains} checks be skipped without changing their outcome.
 */
final class CharMask {

    private final long lo;
    private final long hi;

    private CharMask(long lo, long hi) {
        this.lo = lo;
        this.hi = hi;
    }

    static CharMask of(String s) {
        long lo = 0;
        long hi = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            int c = s.charAt(i);
            if (c < 128) {
                // Letters (64..127) and spaces, digits or signs (0..63) alternate unpredictably, so the half is
                // chosen with a mask, not a branch: upper is all ones for 64..127. A shift uses its count mod 64.
                long bit = 1L << c;
                long upper = -(long) (c >>> 6);
                hi |= bit & upper;
                lo |= bit & ~upper;
            }
        }
        return new CharMask(lo, hi);
    }

    /** False when {@code text} cannot contain {@code literal}: some character of it is missing. */
    boolean mayContain(Literal literal) {
        return (lo & literal.lo) == literal.lo && (hi & literal.hi) == literal.hi;
    }

    /**
     * Whether the text can contain one of the literals, given as parallel arrays of their masks: one tight loop
     * of bit tests, for gating a whole family of rules at once.
     */
    boolean mayContainAny(long[] los, long[] his) {
        for (int i = 0; i < los.length; i++) {
            if ((lo & los[i]) == los[i] && (hi & his[i]) == his[i]) {
                return true;
            }
        }
        return false;
    }

    /** Whether the text holds at least one character of {@code set} (the literal read as a set of characters). */
    boolean intersects(Literal set) {
        return (lo & set.lo) != 0 || (hi & set.hi) != 0;
    }

    boolean has(char c) {
        return c < 64 ? (lo & (1L << c)) != 0 : c < 128 && (hi & (1L << (c - 64))) != 0;
    }

    /** A literal searched for with {@code contains}, with its character mask precomputed. */
    static final class Literal {
        private final String text;
        private final long lo;
        private final long hi;

        Literal(String text) {
            CharMask m = of(text);
            this.text = text;
            this.lo = m.lo;
            this.hi = m.hi;
        }

        /** Exactly {@code s.contains(text)}; {@code mask} must be the mask of {@code s} or of a superset. */
        boolean in(String s, CharMask mask) {
            return mask.mayContain(this) && s.contains(text);
        }

        String text() {
            return text;
        }

        long lo() {
            return lo;
        }

        long hi() {
            return hi;
        }
    }
}
