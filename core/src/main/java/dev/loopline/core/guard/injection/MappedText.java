package dev.loopline.core.guard.injection;

import java.util.Arrays;

/**
 * A derived text (folded or decoded) that remembers, for each of its characters, the index of the character of
 * the original text it came from, and how that character was encoded there.
 */
final class MappedText {
    final char[] chars;
    final int[] origin;
    /**
     * Per character: 0 when literal, otherwise the ordinal of the {@link Encoding} it was decoded from; null when
     * every character is literal (the common case, which then allocates nothing). Read it through {@link
     * #encoding(int)}.
     */
    private final byte[] encoding;

    final int length;
    /**
     * The source had characters folding drops or keeps undecoded (controls, NUL, U+FFFD, surrogates, invisible
     * characters): the {@link RawInspector} must look at the original.
     */
    final boolean unusual;
    /**
     * Positions, in order, of the characters that start markup or a line ({@code < [ ] ! / # \n}): the markup
     * passes visit only these instead of every character.
     */
    private int[] marks;

    private int markCount = -1;

    /** Runs of at least {@link Decoders#MIN_BASE64_RUN} characters that could be base64, as (start, end) pairs. */
    private int[] longRuns;

    private int longRunCount;

    private static final byte MARK = 1;
    private static final byte BASE64 = 2;
    private static final byte[] CLASS = new byte[128];

    static {
        for (char c : "<[]!/#\n".toCharArray()) {
            CLASS[c] = MARK;
        }
        for (char c = 0; c < 128; c++) {
            if (Decoders.isBase64Char(c)) {
                CLASS[c] |= BASE64;
            }
        }
    }

    MappedText(char[] chars, int[] origin, byte[] encoding, int length, boolean unusual) {
        this.chars = chars;
        this.origin = origin;
        this.encoding = encoding;
        this.length = length;
        this.unusual = unusual;
    }

    /** 0 when character {@code i} is literal, otherwise the ordinal of the {@link Encoding} it was decoded from. */
    byte encoding(int i) {
        return encoding == null ? 0 : encoding[i];
    }

    /** The mark positions, found on first use (a separate tight loop keeps folding itself fast). */
    int[] marks() {
        if (markCount < 0) {
            structure();
        }
        return marks;
    }

    /**
     * One pass over the folded characters for the marks and the long base64-like runs. Folding maps every base64
     * character of the original to one base64 character (upper case to lower case) and drops only invisible ones,
     * so every long base64 run of the original lies inside a long run found here.
     */
    private void structure() {
        int[] m = new int[Math.max(16, length >> 4)];
        int[] r = new int[8];
        int n = 0;
        int runs = 0;
        char[] c = chars;
        // Written without branches on the character class: in prose a base64-like run ends every few characters,
        // and a mispredicted branch there cost more than the rest of the loop.
        int run = 0; // length of the base64-like run ending here
        for (int i = 0; i < length; i++) {
            char ch = c[i];
            int cls = ch < 128 ? CLASS[ch] : 0;
            if (n == m.length) {
                m = Arrays.copyOf(m, n * 2);
            }
            m[n] = i;
            n += cls & MARK; // kept only when it is a mark
            run = (run + 1) & -(cls >> 1); // BASE64 is bit 1: all ones when set, zero otherwise
            if (run == Decoders.MIN_BASE64_RUN) {
                if (runs + 2 > r.length) {
                    r = Arrays.copyOf(r, r.length * 2);
                }
                r[runs] = i + 1 - Decoders.MIN_BASE64_RUN;
                runs += 2;
            }
        }
        // the runs' ends, walked only over the long runs
        for (int k = 0; k < runs; k += 2) {
            int e = r[k] + Decoders.MIN_BASE64_RUN;
            while (e < length && c[e] < 128 && (CLASS[c[e]] & BASE64) != 0) {
                e++;
            }
            r[k + 1] = e;
        }
        marks = m;
        markCount = n;
        longRuns = r;
        longRunCount = runs / 2;
    }

    int longRunCount() {
        marks();
        return longRunCount;
    }

    int longRunStart(int k) {
        return longRuns[2 * k];
    }

    int longRunEnd(int k) {
        return longRuns[2 * k + 1];
    }

    int markCount() {
        marks();
        return markCount;
    }

    static final class Builder {
        // open to TextFolder's tight loop, which writes chars and origin directly after reserve()
        char[] chars;
        int[] origin;
        int length;
        private byte[] encoding; // allocated when the first encoded character comes

        Builder(int capacity) {
            int c = Math.max(16, capacity);
            chars = new char[c];
            origin = new int[c];
        }

        void append(char c, int from, byte enc) {
            if (length == chars.length) {
                grow(length + 1);
            }
            chars[length] = c;
            origin[length] = from;
            if (enc != 0) {
                if (encoding == null) {
                    encoding = new byte[chars.length];
                }
                encoding[length] = enc;
            }
            length++;
        }

        /** Makes room for {@code more} characters beyond the current length. */
        void reserve(int more) {
            if (chars.length - length < more) {
                grow(length + more);
            }
        }

        private void grow(int needed) {
            int n = Math.max(needed, chars.length * 2);
            chars = Arrays.copyOf(chars, n);
            origin = Arrays.copyOf(origin, n);
            if (encoding != null) {
                encoding = Arrays.copyOf(encoding, n);
            }
        }

        int length() {
            return length;
        }

        char last() {
            return length == 0 ? '\n' : chars[length - 1];
        }

        MappedText build() {
            return build(false);
        }

        MappedText build(boolean unusual) {
            return new MappedText(chars, origin, encoding, length, unusual);
        }
    }
}
