package dev.loopline.core.guard.injection;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/** Linear-time decoders for text hidden in URL escapes, backslash escapes, HTML entities and base64. */
final class Decoders {
    static final int MIN_BASE64_RUN = 16;
    static final int MIN_HEX_RUN = 16;

    private static final Map<String, Character> NAMED_ENTITIES = Map.of(
            "lt", '<', "gt", '>', "amp", '&', "quot", '"', "apos", '\'', "nbsp", ' ', "colon", ':', "sol", '/', "lpar",
            '(', "rpar", ')');

    private static final char[] ESCAPE_STARTS = {'%', '\\', '&'};

    private Decoders() {}

    /**
     * Decodes every {@code %xx}, {@code \xNN}, {@code \\uNNNN} and HTML entity in one pass; null when the text
     * has none.
     */
    static MappedText unescape(String text) {
        int n = text.length();
        // most texts have no escape at all: String.indexOf (vectorised) finds that faster than the loop below
        int first = n;
        for (char marker : ESCAPE_STARTS) {
            int at = text.indexOf(marker);
            first = at >= 0 ? Math.min(first, at) : first;
        }
        if (first == n) {
            return null;
        }
        MappedText.Builder out = null;
        int copiedUpTo = 0;
        byte[] bytes = new byte[4];
        for (int i = first; i < n; i++) {
            char c = text.charAt(i);
            if (c != '%' && c != '\\' && c != '&') {
                continue;
            }
            int consumed = 0;
            int cp = -1;
            byte enc = 0;
            if (c == '%' && hex(text, i + 1, 2) >= 0) {
                // gather a UTF-8 sequence of %xx bytes
                int b0 = hex(text, i + 1, 2);
                int need = b0 < 0x80 ? 1 : b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 1;
                int k = 0;
                int p = i;
                while (k < need && p < n && text.charAt(p) == '%' && hex(text, p + 1, 2) >= 0) {
                    bytes[k++] = (byte) hex(text, p + 1, 2);
                    p += 3;
                }
                if (k == need) {
                    String s = new String(bytes, 0, k, StandardCharsets.UTF_8);
                    cp = s.codePointAt(0);
                    consumed = p - i;
                } else {
                    cp = b0;
                    consumed = 3;
                }
                enc = (byte) Encoding.URL_PERCENT.ordinal();
            } else if (c == '\\' && i + 3 < n && text.charAt(i + 1) == 'x' && hex(text, i + 2, 2) >= 0) {
                cp = hex(text, i + 2, 2);
                consumed = 4;
                enc = (byte) Encoding.BACKSLASH_ESCAPE.ordinal();
            } else if (c == '\\' && i + 5 < n && text.charAt(i + 1) == 'u' && hex(text, i + 2, 4) >= 0) {
                cp = hex(text, i + 2, 4);
                consumed = 6;
                enc = (byte) Encoding.BACKSLASH_ESCAPE.ordinal();
            } else if (c == '&') {
                int semi = -1;
                for (int k = i + 1; k < n && k <= i + 10; k++) {
                    if (text.charAt(k) == ';') {
                        semi = k;
                        break;
                    }
                }
                if (semi > i + 1) {
                    if (text.charAt(i + 1) == '#') {
                        boolean isHex = semi > i + 2 && (text.charAt(i + 2) == 'x' || text.charAt(i + 2) == 'X');
                        int from = isHex ? i + 3 : i + 2;
                        int value = from < semi ? number(text, from, semi, isHex ? 16 : 10) : -1;
                        if (value >= 0 && Character.isValidCodePoint(value)) {
                            cp = value;
                        }
                    } else {
                        Character named = NAMED_ENTITIES.get(text.substring(i + 1, semi));
                        if (named != null) {
                            cp = named;
                        }
                    }
                    if (cp >= 0) {
                        consumed = semi + 1 - i;
                        enc = (byte) Encoding.HTML_ENTITY.ordinal();
                    }
                }
            }
            if (cp < 0) {
                continue;
            }
            if (out == null) {
                out = new MappedText.Builder(n);
            }
            for (int k = copiedUpTo; k < i; k++) {
                out.append(text.charAt(k), k, (byte) 0);
            }
            for (char d : Character.toChars(cp)) {
                out.append(d, i, enc);
            }
            i += consumed - 1;
            copiedUpTo = i + 1;
        }
        if (out == null) {
            return null;
        }
        for (int k = copiedUpTo; k < n; k++) {
            out.append(text.charAt(k), k, (byte) 0);
        }
        return out.build();
    }

    /** Spaced-out letters needed before a run is read as one text: fewer occur in ordinary prose and lists. */
    static final int MIN_SPACED_LETTERS = 6;

    /**
     * The text with its spaced-out words joined ({@code "i g n o r e  a l l"} reads {@code "ignore all"}, as do
     * {@code "i-g-n-o-r-e"} and {@code "i.g.n.o.r.e"}), or null when it has none. A run is at least {@link
     * #MIN_SPACED_LETTERS} single letters, each followed by the same separator; a wider gap between two letters (the
     * separator twice or more, or a blank around it) is a gap between words. Everything else is copied as it is.
     */
    static MappedText despace(String text) {
        int n = text.length();
        MappedText.Builder out = null;
        int copiedUpTo = 0;
        byte enc = (byte) Encoding.LETTER_SPACED.ordinal();
        int[] at = new int[16]; // the run's letters, as offsets; negative = a word gap comes before it
        for (int i = 0; i + 3 < n; i++) {
            // cheapest test first: this runs over every character of every text scanned
            char sep = text.charAt(i + 1);
            if (text.charAt(i + 3) != sep
                    || !isLetterSeparator(sep)
                    || !isSingleLetterAt(text, i)
                    || !isSingleLetterAt(text, i + 2)) {
                continue;
            }
            int letters = 0;
            at[letters++] = i;
            int p = i + 1;
            while (p < n) {
                int q = p;
                while (q < n && (text.charAt(q) == sep || text.charAt(q) == ' ')) {
                    q++;
                }
                boolean oneSeparator = q == p + 1 && text.charAt(p) == sep;
                if (q == p || q >= n || !isSingleLetterAt(text, q)) {
                    break;
                }
                if (letters == at.length) {
                    at = Arrays.copyOf(at, letters * 2);
                }
                at[letters++] = oneSeparator ? q : -q - 1;
                p = q + 1;
            }
            int last = at[letters - 1] < 0 ? -at[letters - 1] - 1 : at[letters - 1];
            if (letters < MIN_SPACED_LETTERS) {
                i = last;
                continue;
            }
            if (out == null) {
                out = new MappedText.Builder(n);
            }
            for (int k = copiedUpTo; k < i; k++) {
                out.append(text.charAt(k), k, (byte) 0);
            }
            for (int k = 0; k < letters; k++) {
                int offset = at[k] < 0 ? -at[k] - 1 : at[k];
                if (at[k] < 0) {
                    out.append(' ', offset - 1, enc);
                }
                out.append(text.charAt(offset), offset, enc);
            }
            copiedUpTo = last + 1;
            i = last;
        }
        if (out == null) {
            return null;
        }
        for (int k = copiedUpTo; k < n; k++) {
            out.append(text.charAt(k), k, (byte) 0);
        }
        return out.build();
    }

    /**
     * A fast filter for {@link #despace}, over the text as folded into an array: whether three single letters stand
     * in a row, each followed by the same separator ({@code "i g n "}, {@code "i-g-n-"}). False for nearly all
     * prose, code and encoded data. It looks at every third character only: a run of {@link #MIN_SPACED_LETTERS}
     * letters spans eleven characters, so at least one of its separators is looked at, with two more separators
     * two and four characters before or after it.
     */
    static boolean mayHaveSpacedLetters(char[] c, int length) {
        for (int j = 4; j + 4 < length; j += 3) {
            char sep = c[j];
            if (!isLetterSeparator(sep)) {
                continue;
            }
            boolean before = c[j - 2] == sep;
            boolean after = c[j + 2] == sep;
            int first; // the separator that starts three in a row, if any
            if (after && c[j + 4] == sep) {
                first = j;
            } else if (before && after) {
                first = j - 2;
            } else if (before && c[j - 4] == sep) {
                first = j - 4;
            } else {
                continue;
            }
            if (first >= 1
                    && Character.isLetter(c[first - 1])
                    && Character.isLetter(c[first + 1])
                    && Character.isLetter(c[first + 3])
                    && (first < 2 || !Character.isLetterOrDigit(c[first - 2]))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLetterSeparator(char c) {
        return switch (c) {
            case ' ', '-', '.', '_', '*', '|' -> true;
            default -> false;
        };
    }

    /** A letter standing alone: no letter or digit just before it or just after it. */
    private static boolean isSingleLetterAt(String text, int i) {
        return Character.isLetter(text.charAt(i))
                && (i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)))
                && (i + 1 >= text.length() || !Character.isLetterOrDigit(text.charAt(i + 1)));
    }

    private static int hex(String s, int from, int digits) {
        if (from + digits > s.length()) {
            return -1;
        }
        return number(s, from, from + digits, 16);
    }

    private static int number(String s, int from, int to, int radix) {
        if (to - from > 8) {
            return -1;
        }
        int v = 0;
        for (int k = from; k < to; k++) {
            int d = Character.digit(s.charAt(k), radix);
            if (d < 0) {
                return -1;
            }
            v = v * radix + d;
        }
        return v;
    }

    static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    static boolean isBase64Char(char c) {
        return (c >= 'A' && c <= 'Z')
                || (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9')
                || c == '+'
                || c == '/'
                || c == '-'
                || c == '_';
    }

    /** Decodes a base64 (standard or URL-safe) run to text, or null when it is not mostly printable UTF-8. */
    static String decodeBase64Text(CharSequence s, int from, int to) {
        int len = to - from;
        byte[] out = new byte[len * 3 / 4 + 3];
        int o = 0;
        int acc = 0;
        int bits = 0;
        for (int i = from; i < to; i++) {
            int v = value(s.charAt(i));
            if (v < 0) {
                return null;
            }
            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[o++] = (byte) (acc >> bits);
                acc &= (1 << bits) - 1;
            }
        }
        // cheap rejection first: random identifiers decode to control bytes
        int plausible = 0;
        for (int i = 0; i < o; i++) {
            int b = out[i] & 0xff;
            if (b >= 0x20 || b == '\n' || b == '\t' || b == '\r') {
                plausible++;
            }
        }
        if (plausible * 100 < o * 90) {
            return null;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer chars;
        try {
            chars = decoder.decode(ByteBuffer.wrap(out, 0, o));
        } catch (CharacterCodingException e) {
            return null;
        }
        int printable = 0;
        int total = chars.length();
        for (int i = 0; i < total; i++) {
            char c = chars.charAt(i);
            if (c == '\n' || c == '\t' || c == '\r' || (c >= 32 && c != 127 && !Character.isISOControl(c))) {
                printable++;
            }
        }
        if (total < 8 || printable * 100 < total * 90) {
            return null;
        }
        return chars.toString();
    }

    /** Decodes a run of hex digit pairs to text, or null when it is not printable ASCII/UTF-8 text. */
    static String decodeHexText(CharSequence s, int from, int to) {
        byte[] out = new byte[(to - from) / 2];
        int letters = 0;
        for (int i = 0; i < out.length; i++) {
            int b = Character.digit(s.charAt(from + 2 * i), 16) * 16 + Character.digit(s.charAt(from + 2 * i + 1), 16);
            if (b < 0x20 && b != '\n' && b != '\t' && b != '\r') {
                return null; // hashes and ids decode to control bytes early
            }
            if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')) {
                letters++;
            }
            out[i] = (byte) b;
        }
        if (letters * 2 < out.length) {
            return null;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(ByteBuffer.wrap(out)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Whether the text names ROT13 ("rot13", "ROT-13", "rot 13"): only then is the whole text decoded. */
    static boolean mentionsRot13(String text) {
        int at = text.indexOf("13");
        while (at >= 0) {
            int k = at - 1;
            if (k >= 0 && (text.charAt(k) == '-' || text.charAt(k) == ' ' || text.charAt(k) == '_')) {
                k--;
            }
            if (k >= 2
                    && (text.charAt(k) | 0x20) == 't'
                    && (text.charAt(k - 1) | 0x20) == 'o'
                    && (text.charAt(k - 2) | 0x20) == 'r') {
                return true;
            }
            at = text.indexOf("13", at + 2);
        }
        return false;
    }

    static String rot13(String text) {
        char[] out = text.toCharArray();
        for (int i = 0; i < out.length; i++) {
            char c = out[i];
            if (c >= 'a' && c <= 'z') {
                out[i] = (char) ('a' + (c - 'a' + 13) % 26);
            } else if (c >= 'A' && c <= 'Z') {
                out[i] = (char) ('A' + (c - 'A' + 13) % 26);
            }
        }
        return new String(out);
    }

    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '+' || c == '-' ? 62 : c == '/' || c == '_' ? 63 : -1;
    }
}
