package dev.loopline.core.guard.injection;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One pass over the original characters for what folding would silently erase: text smuggled in Unicode tag
 * characters, in runs of variation selectors or zero-width characters, text reversed by a bidi override, and
 * characters that show the input was not text at all (NUL, U+FFFD from a failed decode, lone surrogates, control
 * characters). Ordinary text (below U+2000, no controls) costs one comparison per character.
 */
final class RawInspector {
    static final int MIN_SELECTOR_RUN = 4;
    static final int MIN_ZERO_WIDTH_RUN = 8;

    /** A payload recovered from invisible characters, to be scanned; {@code offset} is where it starts. */
    record Hidden(String text, Encoding encoding, int offset, int end) {}

    /** What the pass found. */
    static final class Report {
        final List<Hidden> hidden = new ArrayList<>();
        final List<Hidden> bareRuns = new ArrayList<>(); // invisible runs that decode to nothing readable
        int unscannableAt = -1;
        int unscannableCount;
        int bidiOverrideAt = -1;
    }

    private RawInspector() {}

    static Report inspect(String text) {
        Report r = new Report();
        int n = text.length();
        int controls = 0;
        int firstControl = -1;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x2000) {
                continue;
            }
            if (c < 0x20) {
                if (c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0x0b || c == 0x1b) {
                    continue; // ESC starts the colour codes of ordinary test output
                }
                if (c == 0) {
                    unscannable(r, i);
                } else {
                    controls++;
                    firstControl = firstControl < 0 ? i : firstControl;
                }
                continue;
            }
            if (c == 0xFFFD) {
                unscannable(r, i);
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= n || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    unscannable(r, i);
                    continue;
                }
                int cp = Character.toCodePoint(c, text.charAt(i + 1));
                if (cp >= 0xE0000 && cp <= 0xE007F) {
                    i = tags(text, i, r) - 1;
                } else if (cp >= 0xE0100 && cp <= 0xE01EF) {
                    i = selectors(text, i, r) - 1;
                } else {
                    i++;
                }
            } else if (Character.isLowSurrogate(c)) {
                unscannable(r, i);
            } else if (c >= 0xFE00 && c <= 0xFE0F) {
                i = selectors(text, i, r) - 1;
            } else if (isZeroWidth(c)) {
                int end = i;
                while (end < n && isZeroWidth(text.charAt(end))) {
                    end++;
                }
                if (end - i >= MIN_ZERO_WIDTH_RUN) {
                    r.bareRuns.add(new Hidden("", Encoding.PLAIN, i, end));
                }
                i = end - 1;
            } else if (c == 0x202E || c == 0x202D) {
                r.bidiOverrideAt = r.bidiOverrideAt < 0 ? i : r.bidiOverrideAt;
                int end = i + 1;
                while (end < n && text.charAt(end) != 0x202C && text.charAt(end) != '\n' && end - i < 2000) {
                    end++;
                }
                StringBuilder reversed = new StringBuilder(text.substring(i + 1, end)).reverse();
                if (reversed.length() > 0) {
                    r.hidden.add(new Hidden(reversed.toString(), Encoding.REVERSED, i, end));
                }
            }
        }
        // a stray control character happens (a pasted form feed); many mean the input is binary
        if (controls > 0 && (controls >= 8 || controls * 100L > n)) {
            r.unscannableCount += controls;
            r.unscannableAt = r.unscannableAt < 0 ? firstControl : Math.min(r.unscannableAt, firstControl);
        }
        return r;
    }

    private static void unscannable(Report r, int i) {
        r.unscannableCount++;
        if (r.unscannableAt < 0) {
            r.unscannableAt = i;
        }
    }

    private static boolean isZeroWidth(char c) {
        return c == 0x200B
                || c == 0x200C
                || c == 0x200D
                || c == 0x2060
                || c == 0xFEFF
                || c == 0x2062
                || c == 0x2063
                || c == 0x2064;
    }

    /** Decodes a run of tag characters (each is an ASCII character plus U+E0000); returns the run's end. */
    private static int tags(String text, int start, Report r) {
        int n = text.length();
        StringBuilder sb = new StringBuilder();
        int i = start;
        boolean cancelled = false;
        while (i + 1 < n && text.charAt(i) == 0xDB40) {
            char low = text.charAt(i + 1);
            if (low < 0xDC00 || low > 0xDC7F) {
                break;
            }
            int ascii = low - 0xDC00;
            i += 2;
            if (ascii == 0x7F) {
                cancelled = true;
                break;
            }
            if (ascii >= 0x20 && ascii < 0x7F) {
                sb.append((char) ascii);
            } else if (ascii == 0x0A || ascii == 0x09) {
                sb.append((char) ascii);
            }
        }
        // emoji subdivision flags (England, Scotland, Wales): U+1F3F4, a few lowercase tag letters, CANCEL TAG
        boolean flag = start >= 2
                && text.charAt(start - 2) == 0xD83C
                && text.charAt(start - 1) == 0xDFF4
                && cancelled
                && sb.length() <= 7
                && isLowerAlnum(sb);
        if (!flag && !sb.toString().isBlank()) {
            r.hidden.add(new Hidden(sb.toString(), Encoding.UNICODE_TAGS, start, i));
        }
        return Math.max(i, start + 2);
    }

    private static boolean isLowerAlnum(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A run of variation selectors. One after a character is ordinary (text or emoji presentation); a long run
     * carries bytes, one per selector (U+FE00..FE0F are 0..15, U+E0100..E01EF are 16..255).
     */
    private static int selectors(String text, int start, Report r) {
        int n = text.length();
        int i = start;
        ByteBuffer bytes = ByteBuffer.allocate(Math.min(n - start, 1 << 16));
        int count = 0;
        while (i < n) {
            char c = text.charAt(i);
            int value;
            if (c >= 0xFE00 && c <= 0xFE0F) {
                value = c - 0xFE00;
                i++;
            } else if (c == 0xDB40 && i + 1 < n && text.charAt(i + 1) >= 0xDD00 && text.charAt(i + 1) <= 0xDDEF) {
                value = text.charAt(i + 1) - 0xDD00 + 16;
                i += 2;
            } else {
                break;
            }
            count++;
            if (bytes.hasRemaining()) {
                bytes.put((byte) value);
            }
        }
        if (count >= MIN_SELECTOR_RUN) {
            bytes.flip();
            String decoded = utf8(bytes);
            if (decoded != null && !decoded.isBlank()) {
                r.hidden.add(new Hidden(decoded, Encoding.VARIATION_SELECTORS, start, i));
            } else {
                r.bareRuns.add(new Hidden("", Encoding.VARIATION_SELECTORS, start, i));
            }
        }
        return i;
    }

    private static String utf8(ByteBuffer bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
