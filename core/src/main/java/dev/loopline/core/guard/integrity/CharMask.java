package dev.loopline.core.guard.integrity;

/**
 * The set of ASCII characters in a piece of text, as 128 bits. A line can contain a literal only if its
 * mask covers the literal's mask, and that also holds for the line with whitespace removed, so one pass
 * over the line lets most {@code contains} checks be skipped without changing their outcome.
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
            char c = s.charAt(i);
            if (c < 64) {
                lo |= 1L << c;
            } else if (c < 128) {
                hi |= 1L << (c - 64);
            }
        }
        return new CharMask(lo, hi);
    }

    /** False when {@code text} cannot contain {@code literal}: some character of it is missing. */
    boolean mayContain(Literal literal) {
        return (lo & literal.lo) == literal.lo && (hi & literal.hi) == literal.hi;
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
    }
}
