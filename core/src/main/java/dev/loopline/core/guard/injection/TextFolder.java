package dev.loopline.core.guard.injection;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Folds text to a canonical matching form: Unicode compatibility decomposition (fullwidth, circled and
 * mathematical letters become ASCII), diacritics, zero-width characters, variation selectors, tag characters and
 * bidi controls removed, Cyrillic, Greek, Armenian, small-capital and Lisu look-alikes mapped to Latin, lower case, runs of blanks collapsed to one space. Keywords go through the same fold, so a
 * Russian keyword still matches Russian text after its look-alike letters were mapped.
 *
 * <p>The per-character table for the Basic Multilingual Plane is computed once; folding is then one table
 * lookup per character.
 */
final class TextFolder {
    private static final char DROP = '\uFFFF';
    private static final char MULTI = '\uFFFE';
    private static final char[] SINGLE = new char[65536];
    private static final String[] EXPANSION = new String[65536];

    // Cyrillic, Greek, Armenian, Latin small capitals and Lisu letters that look like Latin ones
    private static final String CONFUSABLE_FROM =
            "авсеһіјкмнорѕтухԁԛԝӏѵɡαβγεηικνορτυχωɑıɪօսϲϳ" + "ᴀʙᴄᴅᴇꜰɢʜᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢ" + "ꓮꓐꓚꓓꓰꓝꓖꓧꓲꓙꓗꓡꓟꓠꓳꓑꓣꓢꓔꓴꓦꓪꓫꓬꓜ";
    private static final String CONFUSABLE_TO =
            "abcehijkmhopstyxdqwlvgabyenikvoptuxwaiioucj" + "abcdefghjklmnoprstuvwyz" + "abcdefghijklmnoprstuvwxyz";

    static {
        if (CONFUSABLE_FROM.length() != CONFUSABLE_TO.length()) {
            throw new ExceptionInInitializerError("confusable table out of step");
        }
        for (int c = 0; c < 65536; c++) {
            char ch = (char) c;
            if (c < 128) {
                SINGLE[c] = c >= 'A' && c <= 'Z' ? (char) (c + 32) : ch;
                if (c == '\t' || c == '\f' || c == 0x0b) {
                    SINGLE[c] = ' ';
                } else if (c == '\r' || (c < 32 && c != '\n')) {
                    SINGLE[c] = DROP;
                }
                continue;
            }
            if (Character.isSurrogate(ch)) {
                SINGLE[c] = ch;
                continue;
            }
            if (isInvisible(c)) {
                SINGLE[c] = DROP;
                continue;
            }
            if (Character.isWhitespace(ch) || Character.getType(ch) == Character.SPACE_SEPARATOR) {
                SINGLE[c] = c == 0x2028 || c == 0x2029 || c == 0x85 ? '\n' : ' ';
                continue;
            }
            String folded = foldSlow(String.valueOf(ch));
            if (folded.isEmpty()) {
                SINGLE[c] = DROP;
            } else if (folded.length() == 1) {
                SINGLE[c] = folded.charAt(0);
            } else {
                SINGLE[c] = MULTI;
                EXPANSION[c] = folded;
            }
        }
    }

    private TextFolder() {}

    private static boolean isInvisible(int c) {
        return (c >= 0x200B && c <= 0x200F)
                || (c >= 0x202A && c <= 0x202E)
                || (c >= 0x2060 && c <= 0x2064)
                || (c >= 0x2066 && c <= 0x2069)
                || c == 0xFEFF
                || c == 0x00AD
                || c == 0x034F
                || c == 0x180E
                || (c >= 0xFE00 && c <= 0xFE0F)
                || Character.getType(c) == Character.NON_SPACING_MARK
                || Character.getType(c) == Character.ENCLOSING_MARK
                || Character.getType(c) == Character.FORMAT;
    }

    /** The fold of one code point, without the table. */
    private static String foldSlow(String s) {
        String d = Normalizer.normalize(s, Normalizer.Form.NFKD);
        StringBuilder sb = new StringBuilder(d.length());
        for (int i = 0; i < d.length(); ) {
            int cp = d.codePointAt(i);
            i += Character.charCount(cp);
            if (isInvisible(cp)) {
                continue;
            }
            String lower = new String(Character.toChars(cp)).toLowerCase(Locale.ROOT);
            for (int k = 0; k < lower.length(); k++) {
                char l = lower.charAt(k);
                int idx = CONFUSABLE_FROM.indexOf(l);
                if (Character.getType(l) == Character.NON_SPACING_MARK) {
                    continue;
                }
                sb.append(idx >= 0 ? CONFUSABLE_TO.charAt(idx) : l);
            }
        }
        return sb.toString();
    }

    /** Folds a keyword the same way text is folded. */
    static String fold(String s) {
        MappedText m = fold(s, null);
        return new String(m.chars, 0, m.length).trim();
    }

    /** Folds {@code text}; {@code source} (may be null) maps {@code text} positions further back to the original. */
    static MappedText fold(CharSequence text, MappedText source) {
        int n = text.length();
        MappedText.Builder out = new MappedText.Builder(n + 16);
        boolean unusual = false;
        for (int i = 0; i < n; i++) {
            if (source == null) {
                i = foldPlainRun(text, i, out);
                if (i == n) {
                    break;
                }
            }
            char c = text.charAt(i);
            int from = source == null ? i : source.origin[i];
            byte enc = source == null ? 0 : source.encoding(i);
            char f = SINGLE[c];
            if (f == ' ') {
                char last = out.last();
                if (last != ' ' && last != '\n') {
                    out.append(' ', from, enc);
                }
            } else if (f == '\n') {
                out.append('\n', from, enc);
            } else if (f == DROP) {
                // carriage returns, ESC (colour codes) and the bidi marks of Arabic and Hebrew text are ordinary
                if (c != '\r' && c != 0x1b && c != 0x200E && c != 0x200F) {
                    unusual = true;
                }
            } else if (f == MULTI) {
                String e = EXPANSION[c];
                for (int k = 0; k < e.length(); k++) {
                    out.append(e.charAt(k), from, enc);
                }
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                if (c == 0xDB40) {
                    unusual = true; // tag characters and supplementary variation selectors
                }
                String e = foldSlow(new String(new char[] {c, text.charAt(i + 1)}));
                for (int k = 0; k < e.length(); k++) {
                    out.append(e.charAt(k), from, enc);
                }
                i++;
            } else {
                if (f >= 0xD800 && (f <= 0xDFFF || f == 0xFFFD)) {
                    unusual = true; // a lone surrogate, or the replacement character of a failed decode
                }
                out.append(f, from, enc);
            }
        }
        return out.build(unusual);
    }

    /**
     * The common case, kept in one tight loop: folds the characters from {@code i} on that become one character
     * (letters, digits, punctuation, blanks, line breaks) straight into the builder's arrays, and returns the index
     * of the first one it leaves to {@link #fold(CharSequence, MappedText)}: a character folding drops or expands,
     * a surrogate, U+FFFD. Same result as that loop, which does the same per character.
     */
    private static int foldPlainRun(CharSequence text, int i, MappedText.Builder out) {
        int n = text.length();
        out.reserve(n - i);
        char[] chars = out.chars;
        int[] origin = out.origin;
        int len = out.length;
        char last = out.last();
        for (; i < n; i++) {
            char f = SINGLE[text.charAt(i)];
            if (f >= 0xD800 && (f <= 0xDFFF || f >= 0xFFFD)) {
                break; // DROP, MULTI, U+FFFD and surrogates
            }
            chars[len] = f;
            origin[len] = i;
            // blanks collapse into a blank or line break before them; encoding stays 0 (literal)
            if (f != ' ' || (last != ' ' && last != '\n')) {
                len++;
                last = f;
            }
        }
        out.length = len;
        return i;
    }
}
