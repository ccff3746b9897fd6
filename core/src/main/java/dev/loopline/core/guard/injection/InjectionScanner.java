package dev.loopline.core.guard.injection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a text for prompt injection. The text is folded ({@link TextFolder}), every keyword is found in one
 * Aho–Corasick pass, and signals come from keywords that stand close together within a sentence. Text hidden in
 * URL escapes, backslash escapes, HTML entities or base64 is decoded and scanned as well. Every step is linear
 * in the input; there are no regular expressions.
 *
 * <p>Immutable and thread-safe.
 */
public final class InjectionScanner {
    private static final InjectionScanner DEFAULT = new InjectionScanner(Lexicon.standard());
    private static final int MAX_DECODE_DEPTH = 2;

    private final ScanPass.Tables tables;

    private InjectionScanner(Lexicon lexicon) {
        List<Lexicon.Entry> entries = lexicon.entries();
        List<String> words = new ArrayList<>(entries.size());
        int[] concept = new int[entries.size()];
        boolean[] reverseOk = new boolean[entries.size()];
        boolean[] leftBoundary = new boolean[entries.size()];
        boolean[] rightBoundary = new boolean[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            Lexicon.Entry e = entries.get(i);
            words.add(e.folded());
            concept[i] = e.concept();
            reverseOk[i] = e.reverseOk();
            leftBoundary[i] = e.leftBoundary();
            rightBoundary[i] = e.rightBoundary();
        }
        tables = new ScanPass.Tables(new KeywordMatcher(words), concept, reverseOk, leftBoundary, rightBoundary);
    }

    public static InjectionScanner defaults() {
        return DEFAULT;
    }

    /** Convenience for {@code defaults().scan(text)}. */
    public static ScanResult scanText(String text) {
        return DEFAULT.scan(text);
    }

    public ScanResult scan(String text) {
        if (text == null || text.isEmpty()) {
            return ScanResult.clean();
        }
        List<Signal> signals = new ArrayList<>();
        List<Integer> explanations = new ArrayList<>();
        collect(text, 0, signals, explanations);
        if (signals.isEmpty()) {
            return ScanResult.clean();
        }
        // only a high answer has anything to lower
        if (!explanations.isEmpty() && overall(signals) == Severity.HIGH) {
            lowerQuotedPayloads(text, signals, explanations);
        }
        signals.sort(Comparator.comparingInt(Signal::offset));
        return new ScanResult(overall(signals), signals);
    }

    /** Scans bytes that should be UTF-8 text; bytes that do not decode are reported, never skipped. */
    public ScanResult scanBytes(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return ScanResult.clean();
        }
        // a decoding failure leaves U+FFFD, which the scan reports as unscannable
        return scan(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * A text that explains attacks (it says "prompt injection", "attacker", "for example" outside the payload) and
     * quotes a payload in code or quotation marks is teaching, not attacking: such high signals become medium and
     * stop combining with others. Smuggled and unscannable text is never lowered.
     */
    private static void lowerQuotedPayloads(String text, List<Signal> signals, List<Integer> explanations) {
        QuotedContext quotes = null;
        for (int i = 0; i < signals.size(); i++) {
            Signal s = signals.get(i);
            if (s.category() == Category.SMUGGLED_TEXT
                    || s.category() == Category.UNSCANNABLE
                    || s.offset() >= text.length()) {
                continue;
            }
            if (quotes == null) {
                quotes = new QuotedContext(text);
            }
            int[] span = quotes.around(s.offset());
            if (span == null) {
                continue;
            }
            boolean explained = false;
            for (int e : explanations) {
                explained |= e < span[0] || e >= span[1];
            }
            if (explained) {
                Severity lowered = s.severity() == Severity.HIGH ? Severity.MEDIUM : s.severity();
                signals.set(i, new Signal(s.category(), lowered, s.evidence(), s.encoding(), s.offset(), true));
            }
        }
    }

    private static Severity overall(List<Signal> signals) {
        Severity max = Severity.NONE;
        Map<Category, Severity> perCategory = new EnumMap<>(Category.class);
        for (Signal s : signals) {
            max = Severity.max(max, s.severity());
            if (!s.quoted()) {
                perCategory.merge(s.category(), s.severity(), Severity::max);
            }
        }
        int medium = 0;
        int any = 0;
        for (Severity s : perCategory.values()) {
            medium += s.atLeast(Severity.MEDIUM) ? 1 : 0;
            any += s.atLeast(Severity.LOW) ? 1 : 0;
        }
        // several independent kinds of manipulation in one text are an attack even when each alone is weak
        if (medium >= 2 || (medium >= 1 && any >= 3)) {
            return Severity.HIGH;
        }
        return max;
    }

    private void collect(String text, int depth, List<Signal> sink, List<Integer> explanations) {
        MappedText folded = TextFolder.fold(text, null);
        if (folded.unusual) {
            inspectRaw(text, depth, sink);
            scanInvisibleSeparators(text, sink);
        }
        new ScanPass(tables, folded, text, false, depth == 0 ? explanations : null).run(sink);
        MappedText decoded = Decoders.unescape(text);
        if (decoded != null) {
            String decodedText = new String(decoded.chars, 0, decoded.length);
            new ScanPass(tables, TextFolder.fold(decodedText, decoded), text, true, null).run(sink);
        }
        if (Decoders.mayHaveSpacedLetters(folded.chars, folded.length)) {
            scanSpacedLetters(text, sink);
        }
        if (depth < MAX_DECODE_DEPTH) {
            for (int k = 0; k < folded.longRunCount(); k++) {
                int from = folded.origin[folded.longRunStart(k)];
                int to = folded.origin[folded.longRunEnd(k) - 1] + 1;
                scanBase64Runs(text, from, to, depth, sink);
            }
            if (Decoders.mentionsRot13(text)) {
                inner(
                        Decoders.rot13(text),
                        depth,
                        sink,
                        0,
                        text.substring(0, Math.min(text.length(), 40)),
                        Encoding.ROT13);
            }
        }
    }

    /** Scans the text again with its spaced-out words joined ({@code i g n o r e} reads {@code ignore}). */
    private void scanSpacedLetters(String text, List<Signal> sink) {
        MappedText spaced = Decoders.despace(text);
        if (spaced != null) {
            String joined = new String(spaced.chars, 0, spaced.length);
            new ScanPass(tables, TextFolder.fold(joined, spaced), text, true, null).run(sink);
        }
    }

    /**
     * Folding drops zero-width characters, which undoes {@code ig\u200Bnore} but glues words that an attacker
     * separated with them ({@code ignore\u200Ball\u200Bprevious}). Only for text that has such characters: scans it
     * again with each of them read as a blank.
     */
    private void scanInvisibleSeparators(String text, List<Signal> sink) {
        int n = text.length();
        MappedText.Builder spaced = new MappedText.Builder(n);
        byte invisible = (byte) Encoding.INVISIBLE_SEPARATORS.ordinal();
        boolean any = false;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            boolean separator = c == '\u200B' || c == '\u200C' || c == '\u2060' || c == '\uFEFF' || c == '\u180E';
            any |= separator;
            spaced.append(separator ? ' ' : c, i, separator ? invisible : 0);
        }
        if (any) {
            MappedText mapped = spaced.build();
            String joined = new String(mapped.chars, 0, mapped.length);
            new ScanPass(tables, TextFolder.fold(joined, mapped), text, true, null).run(sink);
        }
    }

    private void inspectRaw(String text, int depth, List<Signal> sink) {
        RawInspector.Report raw = RawInspector.inspect(text);
        if (raw.unscannableAt >= 0) {
            sink.add(new Signal(
                    Category.UNSCANNABLE,
                    Severity.MEDIUM,
                    raw.unscannableCount + " characters that are not text (NUL, control, undecodable bytes)",
                    Encoding.PLAIN,
                    raw.unscannableAt));
        }
        for (RawInspector.Hidden run : raw.bareRuns) {
            sink.add(new Signal(
                    Category.SMUGGLED_TEXT,
                    Severity.MEDIUM,
                    (run.end() - run.offset()) + " invisible characters in a row",
                    run.encoding(),
                    run.offset()));
        }
        if (raw.bidiOverrideAt >= 0) {
            sink.add(new Signal(
                    Category.SMUGGLED_TEXT, Severity.LOW, "bidi override", Encoding.PLAIN, raw.bidiOverrideAt));
        }
        for (RawInspector.Hidden h : raw.hidden) {
            smuggled(h, depth, sink);
        }
    }

    /**
     * Text hidden in invisible characters. Tag characters or a run of variation selectors carrying readable text
     * are medium on their own (nobody writes them by hand); with an instruction inside, high. Reversed text under
     * a bidi override counts only when what it says is an injection.
     */
    private void smuggled(RawInspector.Hidden h, int depth, List<Signal> sink) {
        List<Signal> inner = new ArrayList<>();
        if (depth < MAX_DECODE_DEPTH) {
            collect(h.text(), depth + 1, inner, null);
        }
        Severity innerMax = inner.isEmpty() ? Severity.NONE : overall(inner);
        boolean instructs = innerMax.atLeast(Severity.MEDIUM);
        String evidence = h.text().strip();
        if (h.encoding() != Encoding.REVERSED) {
            sink.add(new Signal(
                    Category.SMUGGLED_TEXT,
                    instructs ? Severity.HIGH : Severity.MEDIUM,
                    evidence,
                    h.encoding(),
                    h.offset()));
        } else if (instructs) {
            sink.add(new Signal(Category.SMUGGLED_TEXT, Severity.HIGH, evidence, h.encoding(), h.offset()));
        }
        for (Signal s : inner) {
            sink.add(new Signal(s.category(), s.severity(), evidence, h.encoding(), h.offset()));
        }
    }

    private void inner(String decoded, int depth, List<Signal> sink, int offset, String evidence, Encoding encoding) {
        List<Signal> inner = new ArrayList<>();
        collect(decoded, depth + 1, inner, null);
        for (Signal s : inner) {
            if (s.category() != Category.UNSCANNABLE) {
                sink.add(new Signal(s.category(), s.severity(), evidence, encoding, offset));
            }
        }
    }

    private void scanHexRuns(String text, int from, int to, int depth, List<Signal> sink) {
        int i = from;
        while (i < to) {
            if (!Decoders.isHexDigit(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < to && Decoders.isHexDigit(text.charAt(i))) {
                i++;
            }
            if (i - start >= Decoders.MIN_HEX_RUN && (i - start) % 2 == 0) {
                String decoded = Decoders.decodeHexText(text, start, i);
                if (decoded != null) {
                    String evidence = text.substring(start, Math.min(i, start + Signal.MAX_EVIDENCE));
                    inner(decoded, depth, sink, start, evidence, Encoding.HEX);
                }
            }
        }
    }

    /** Base64 runs starting in [from, to) of the original; the caller found the candidate ranges on folded text. */
    private void scanBase64Runs(String text, int from, int to, int depth, List<Signal> sink) {
        int n = text.length();
        int i = from;
        while (i < to) {
            if (!Decoders.isBase64Char(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && Decoders.isBase64Char(text.charAt(i))) {
                i++;
            }
            int end = i;
            while (i < n && text.charAt(i) == '=') {
                i++;
            }
            if (end - start >= Decoders.MIN_HEX_RUN) {
                scanHexRuns(text, start, end, depth, sink); // hex digits are base64 characters too
            }
            if (end - start >= Decoders.MIN_BASE64_RUN) {
                String decoded = Decoders.decodeBase64Text(text, start, end);
                if (decoded != null) {
                    List<Signal> inner = new ArrayList<>();
                    collect(decoded, depth + 1, inner, null);
                    String evidence = text.substring(start, Math.min(i, start + Signal.MAX_EVIDENCE));
                    for (Signal s : inner) {
                        sink.add(new Signal(s.category(), s.severity(), evidence, Encoding.BASE64, start));
                    }
                }
            }
        }
    }
}
