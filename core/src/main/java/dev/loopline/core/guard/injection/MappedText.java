package dev.loopline.core.guard.injection;

import java.util.Arrays;

/**
 * A derived text (folded or decoded) that remembers, for each of its characters, the index of the character of
 * the original text it came from, and how that character was encoded there.
 */
final class MappedText {
    final char[] chars;
    final int[] origin;
    /** Per character: 0 when literal, otherwise the ordinal of the {@link Encoding} it was decoded from. */
    final byte[] encoding;

    final int length;

    MappedText(char[] chars, int[] origin, byte[] encoding, int length) {
        this.chars = chars;
        this.origin = origin;
        this.encoding = encoding;
        this.length = length;
    }

    static final class Builder {
        private char[] chars;
        private int[] origin;
        private byte[] encoding;
        private int length;

        Builder(int capacity) {
            int c = Math.max(16, capacity);
            chars = new char[c];
            origin = new int[c];
            encoding = new byte[c];
        }

        void append(char c, int from, byte enc) {
            if (length == chars.length) {
                int n = chars.length * 2;
                chars = Arrays.copyOf(chars, n);
                origin = Arrays.copyOf(origin, n);
                encoding = Arrays.copyOf(encoding, n);
            }
            chars[length] = c;
            origin[length] = from;
            encoding[length] = enc;
            length++;
        }

        int length() {
            return length;
        }

        char last() {
            return length == 0 ? '\n' : chars[length - 1];
        }

        MappedText build() {
            return new MappedText(chars, origin, encoding, length);
        }
    }
}
