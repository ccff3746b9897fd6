package dev.loopline.core.guard.injection;

import static dev.loopline.core.guard.injection.Lexicon.ACT_AS;
import static dev.loopline.core.guard.injection.Lexicon.DEV_MODE;
import static dev.loopline.core.guard.injection.Lexicon.EX_DEST;
import static dev.loopline.core.guard.injection.Lexicon.EX_SECRET;
import static dev.loopline.core.guard.injection.Lexicon.EX_VERB;
import static dev.loopline.core.guard.injection.Lexicon.NET_TOOL;
import static dev.loopline.core.guard.injection.Lexicon.NEW_INSTR;
import static dev.loopline.core.guard.injection.Lexicon.OVR_NOUN;
import static dev.loopline.core.guard.injection.Lexicon.OVR_QUAL;
import static dev.loopline.core.guard.injection.Lexicon.OVR_REF;
import static dev.loopline.core.guard.injection.Lexicon.OVR_VERB;
import static dev.loopline.core.guard.injection.Lexicon.PERSONA;
import static dev.loopline.core.guard.injection.Lexicon.ROLE_TAG;
import static dev.loopline.core.guard.injection.Lexicon.ROLE_TOKEN;
import static dev.loopline.core.guard.injection.Lexicon.TOOL_STRONG;
import static dev.loopline.core.guard.injection.Lexicon.TOOL_VERB;
import static dev.loopline.core.guard.injection.Lexicon.TOOL_WEAK;
import static dev.loopline.core.guard.injection.Lexicon.YOU_ARE_NOW;

import java.util.ArrayList;
import java.util.Arrays;
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
    private static final int MAX_SIGNALS_PER_CATEGORY = 5;
    private static final int MAX_DECODE_DEPTH = 2;
    private static final int LOOKAROUND_SLACK = 64;
    private static final List<String> ROLE_WORDS = List.of("system", "assistant", "developer");
    private static final List<String> ROLE_SUFFIXES = List.of(" prompt", " message", " instructions", " override");

    private final KeywordMatcher matcher;
    private final int[] concept;
    private final boolean[] reverseOk;
    private final boolean[] leftBoundary;
    private final boolean[] rightBoundary;

    private InjectionScanner(Lexicon lexicon) {
        List<Lexicon.Entry> entries = lexicon.entries();
        List<String> words = new ArrayList<>(entries.size());
        concept = new int[entries.size()];
        reverseOk = new boolean[entries.size()];
        leftBoundary = new boolean[entries.size()];
        rightBoundary = new boolean[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            Lexicon.Entry e = entries.get(i);
            words.add(e.folded());
            concept[i] = e.concept();
            reverseOk[i] = e.reverseOk();
            leftBoundary[i] = e.leftBoundary();
            rightBoundary[i] = e.rightBoundary();
        }
        matcher = new KeywordMatcher(words);
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
        collect(text, 0, signals);
        if (signals.isEmpty()) {
            return ScanResult.clean();
        }
        signals.sort(Comparator.comparingInt(Signal::offset));
        return new ScanResult(overall(signals), signals);
    }

    private static Severity overall(List<Signal> signals) {
        Severity max = Severity.NONE;
        Map<Category, Severity> perCategory = new EnumMap<>(Category.class);
        for (Signal s : signals) {
            max = Severity.max(max, s.severity());
            perCategory.merge(s.category(), s.severity(), Severity::max);
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

    private void collect(String text, int depth, List<Signal> sink) {
        MappedText folded = TextFolder.fold(text, null);
        new Pass(folded, text, false).run(sink);
        MappedText decoded = Decoders.unescape(text);
        if (decoded != null) {
            String decodedText = new String(decoded.chars, 0, decoded.length);
            new Pass(TextFolder.fold(decodedText, decoded), text, true).run(sink);
        }
        if (depth < MAX_DECODE_DEPTH) {
            scanBase64Runs(text, depth, sink);
        }
    }

    private void scanBase64Runs(String text, int depth, List<Signal> sink) {
        int n = text.length();
        int i = 0;
        while (i < n) {
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
            if (end - start >= Decoders.MIN_BASE64_RUN) {
                String decoded = Decoders.decodeBase64Text(text, start, end);
                if (decoded != null) {
                    List<Signal> inner = new ArrayList<>();
                    collect(decoded, depth + 1, inner);
                    String evidence = text.substring(start, Math.min(i, start + Signal.MAX_EVIDENCE));
                    for (Signal s : inner) {
                        sink.add(new Signal(s.category(), s.severity(), evidence, Encoding.BASE64, start));
                    }
                }
            }
        }
    }

    /** One scan of one folded text. */
    private final class Pass {
        private final MappedText text;
        private final char[] c;
        private final int len;
        private final String original;
        private int[] hitKeyword = new int[64];
        private int[] hitStart = new int[64];
        private int[] hitEnd = new int[64];
        private int hits;
        private final int[] perCategory = new int[Category.values().length];
        private final List<Signal> found = new ArrayList<>();
        private final boolean decodedVariant;

        Pass(MappedText text, String original, boolean decodedVariant) {
            this.text = text;
            this.c = text.chars;
            this.len = text.length;
            this.original = original;
            this.decodedVariant = decodedVariant;
        }

        void run(List<Signal> sink) {
            matcher.scan(c, len, this::hit);
            evaluate();
            roleLines();
            sink.addAll(found);
        }

        private void hit(int keyword, int end) {
            int start = end - matcher.length(keyword);
            if (leftBoundary[keyword] && start > 0 && Lexicon.isWordChar(c[start - 1])) {
                return;
            }
            if (rightBoundary[keyword] && end < len && Lexicon.isWordChar(c[end])) {
                return;
            }
            if (hits == hitKeyword.length) {
                int n = hits * 2;
                hitKeyword = Arrays.copyOf(hitKeyword, n);
                hitStart = Arrays.copyOf(hitStart, n);
                hitEnd = Arrays.copyOf(hitEnd, n);
            }
            hitKeyword[hits] = keyword;
            hitStart[hits] = start;
            hitEnd[hits] = end;
            hits++;
        }

        private int conceptOf(int h) {
            return concept[hitKeyword[h]];
        }

        private void evaluate() {
            int lineScannedUpTo = -1;
            for (int h = 0; h < hits; h++) {
                switch (conceptOf(h)) {
                    case OVR_VERB -> override(h);
                    case NEW_INSTR -> signal(Category.INSTRUCTION_OVERRIDE, Severity.MEDIUM, h, h);
                    case ROLE_TOKEN -> signal(Category.ROLE_SPOOF, Severity.HIGH, h, h);
                    case ROLE_TAG -> signal(Category.ROLE_SPOOF, Severity.MEDIUM, h, h);
                    case YOU_ARE_NOW, ACT_AS -> persona(h);
                    case DEV_MODE -> signal(Category.PERSONA_SWITCH, Severity.MEDIUM, h, h);
                    case EX_VERB -> exfiltration(h);
                    case NET_TOOL -> {
                        if (hitStart[h] > lineScannedUpTo) {
                            lineScannedUpTo = networkToolLine(h);
                        }
                    }
                    case TOOL_VERB -> toolDirective(h);
                    default -> {}
                }
            }
        }

        private void override(int v) {
            int ref = after(v, OVR_REF, 40);
            if (ref >= 0) {
                signal(Category.INSTRUCTION_OVERRIDE, Severity.HIGH, v, ref);
                return;
            }
            int noun = after(v, OVR_NOUN, 60);
            if (noun >= 0) {
                // Romance languages put the qualifier after the noun: "instrucciones anteriores"
                boolean qualified = between(v, noun, OVR_QUAL) || qualifierFollows(noun);
                signal(Category.INSTRUCTION_OVERRIDE, qualified ? Severity.HIGH : Severity.MEDIUM, v, noun);
                return;
            }
            if (reverseOk[hitKeyword[v]]) {
                int before = before(v, OVR_REF, 30);
                if (before >= 0) {
                    signal(Category.INSTRUCTION_OVERRIDE, Severity.HIGH, before, v);
                    return;
                }
                before = before(v, OVR_NOUN, 30);
                if (before >= 0) {
                    boolean qualified = before(before, OVR_QUAL, 20) >= 0 || between(before, v, OVR_QUAL);
                    signal(Category.INSTRUCTION_OVERRIDE, qualified ? Severity.HIGH : Severity.MEDIUM, before, v);
                }
            }
        }

        private void persona(int h) {
            int target = after(h, PERSONA, 40);
            if (target < 0) {
                target = after(h, DEV_MODE, 40);
            }
            if (target >= 0) {
                signal(Category.PERSONA_SWITCH, Severity.HIGH, h, target);
            } else {
                signal(Category.PERSONA_SWITCH, Severity.LOW, h, h);
            }
        }

        private void exfiltration(int v) {
            int secret = after(v, EX_SECRET, 50);
            int first = v;
            if (secret < 0 && reverseOk[hitKeyword[v]]) {
                secret = before(v, EX_SECRET, 30);
                first = secret;
            }
            if (secret < 0) {
                return;
            }
            int last = Math.max(v, secret);
            int dest = after(last, EX_DEST, 80);
            if (dest < 0) {
                dest = firstBetween(first, last, EX_DEST);
            }
            if (dest < 0) {
                dest = before(first, EX_DEST, 40);
            }
            if (dest >= 0) {
                signal(Category.EXFILTRATION, Severity.HIGH, Math.min(first, dest), Math.max(last, dest));
            } else {
                signal(Category.EXFILTRATION, Severity.MEDIUM, first, last);
            }
        }

        private void toolDirective(int v) {
            int strong = after(v, TOOL_STRONG, 30);
            if (strong < 0 && reverseOk[hitKeyword[v]]) {
                strong = before(v, TOOL_STRONG, 20);
            }
            if (strong >= 0) {
                signal(Category.TOOL_DIRECTIVE, Severity.MEDIUM, Math.min(v, strong), Math.max(v, strong));
                return;
            }
            int weak = after(v, TOOL_WEAK, 25);
            if (weak >= 0) {
                signal(Category.TOOL_DIRECTIVE, Severity.LOW, v, weak);
            }
        }

        /** A network tool on a line that also names a secret variable or secret file: returns the line end. */
        private int networkToolLine(int h) {
            int from = hitStart[h];
            int lineStart = from;
            while (lineStart > 0 && c[lineStart - 1] != '\n' && from - lineStart < 300) {
                lineStart--;
            }
            int lineEnd = hitEnd[h];
            while (lineEnd < len && c[lineEnd] != '\n' && lineEnd - from < 300) {
                lineEnd++;
            }
            int secretAt = secretReference(lineStart, lineEnd);
            if (secretAt >= 0) {
                boolean authHeader =
                        contains(lineStart, lineEnd, "authorization") || contains(lineStart, lineEnd, "bearer");
                Severity s = authHeader ? Severity.MEDIUM : Severity.HIGH;
                signalSpan(Category.EXFILTRATION, s, Math.min(from, secretAt), Math.max(hitEnd[h], secretAt + 1));
            }
            return lineEnd;
        }

        private int secretReference(int from, int to) {
            for (int i = from; i < to; i++) {
                char ch = c[i];
                if (ch == '$') {
                    int k = i + 1;
                    if (k < to && c[k] == '{') {
                        k++;
                    }
                    int nameStart = k;
                    while (k < to && Lexicon.isWordChar(c[k])) {
                        k++;
                    }
                    if (k > nameStart && secretName(nameStart, k)) {
                        return i;
                    }
                } else if (ch == '.' || ch == 'i' || ch == '~' || ch == '/') {
                    if (startsWith(i, to, ".env")
                            || startsWith(i, to, "id_rsa")
                            || startsWith(i, to, "id_ed25519")
                            || startsWith(i, to, ".ssh/")
                            || startsWith(i, to, ".aws/credentials")
                            || startsWith(i, to, "/etc/shadow")) {
                        return i;
                    }
                }
            }
            return -1;
        }

        private boolean secretName(int from, int to) {
            return contains(from, to, "key")
                    || contains(from, to, "token")
                    || contains(from, to, "secret")
                    || contains(from, to, "passw")
                    || contains(from, to, "credential");
        }

        private boolean startsWith(int i, int to, String s) {
            if (i + s.length() > to) {
                return false;
            }
            for (int k = 0; k < s.length(); k++) {
                if (c[i + k] != s.charAt(k)) {
                    return false;
                }
            }
            return true;
        }

        private boolean contains(int from, int to, String s) {
            for (int i = from; i + s.length() <= to; i++) {
                if (c[i] == s.charAt(0) && startsWith(i, to, s)) {
                    return true;
                }
            }
            return false;
        }

        /** Role-play lines: {@code system:}, {@code [assistant]}, {@code ### System prompt} at a line start. */
        private void roleLines() {
            for (int i = 0; i < len; i++) {
                if (i > 0 && c[i - 1] != '\n') {
                    continue;
                }
                int k = i;
                int hashes = 0;
                boolean bracket = false;
                while (k < len
                        && (c[k] == ' ' || c[k] == '#' || c[k] == '>' || c[k] == '*' || c[k] == '-' || c[k] == '[')) {
                    hashes += c[k] == '#' ? 1 : 0;
                    bracket |= c[k] == '[';
                    k++;
                }
                int wordEnd = roleWord(k);
                if (wordEnd < 0) {
                    continue;
                }
                int m = wordEnd;
                for (String suffix : ROLE_SUFFIXES) {
                    if (startsWith(m, len, suffix)) {
                        m += suffix.length();
                        break;
                    }
                }
                while (m < len && (c[m] == ' ' || c[m] == '*')) {
                    m++;
                }
                boolean colon = m < len && c[m] == ':';
                boolean closeBracket = bracket && m < len && c[m] == ']';
                boolean header = hashes > 0 && (m >= len || c[m] == '\n' || c[m] == ':');
                if (colon || closeBracket || header) {
                    signalSpan(Category.ROLE_SPOOF, Severity.MEDIUM, k, Math.min(len, m + 1));
                }
            }
        }

        private int roleWord(int k) {
            for (String w : ROLE_WORDS) {
                if (startsWith(k, len, w) && (k + w.length() >= len || !Lexicon.isWordChar(c[k + w.length()]))) {
                    return k + w.length();
                }
            }
            return -1;
        }

        /** First hit of {@code wanted} starting at most {@code window} characters after hit {@code h}, same sentence. */
        private int after(int h, int wanted, int window) {
            int end = hitEnd[h];
            for (int j = h + 1; j < hits; j++) {
                if (hitEnd[j] > end + window + LOOKAROUND_SLACK) {
                    break;
                }
                if (conceptOf(j) == wanted && hitStart[j] >= end && hitStart[j] - end <= window) {
                    return sentenceBreak(end, hitStart[j]) ? -1 : j;
                }
            }
            return -1;
        }

        /** Last hit of {@code wanted} ending at most {@code window} characters before hit {@code h}, same sentence. */
        private int before(int h, int wanted, int window) {
            int start = hitStart[h];
            for (int j = h - 1; j >= 0; j--) {
                if (hitEnd[j] < start - window) {
                    break;
                }
                if (conceptOf(j) == wanted && hitEnd[j] <= start) {
                    return sentenceBreak(hitEnd[j], start) ? -1 : j;
                }
            }
            return -1;
        }

        /** A qualifier right after the word that hit {@code h} belongs to, as in "regole precedenti". */
        private boolean qualifierFollows(int h) {
            int e = hitEnd[h];
            while (e < len && Lexicon.isWordChar(c[e])) {
                e++;
            }
            for (int j = h + 1; j < hits && hitStart[j] <= e + 2; j++) {
                if (conceptOf(j) == OVR_QUAL && hitStart[j] >= e) {
                    return true;
                }
            }
            return false;
        }

        private boolean between(int a, int b, int wanted) {
            return firstBetween(a, b, wanted) >= 0;
        }

        private int firstBetween(int a, int b, int wanted) {
            // hits are ordered by end, so anything between hit a and hit b has an index between them
            for (int j = a + 1; j < b; j++) {
                if (hitStart[j] >= hitEnd[a] && hitEnd[j] <= hitStart[b] && conceptOf(j) == wanted) {
                    return j;
                }
            }
            return -1;
        }

        private boolean sentenceBreak(int from, int to) {
            for (int i = from; i < to; i++) {
                char ch = c[i];
                if (ch == '.' || ch == '!' || ch == '?' || ch == '。' || ch == '！' || ch == '？') {
                    // a dot inside a word (file.txt, os.system) does not end a sentence
                    boolean inWord = ch == '.' && i + 1 < len && Lexicon.isWordChar(c[i + 1]);
                    if (!inWord) {
                        return true;
                    }
                }
                if (ch == '\n' && i + 1 < to && c[i + 1] == '\n') {
                    return true;
                }
            }
            return false;
        }

        /** When a category is full, a stronger signal displaces its weakest one, so benign noise cannot hide an attack. */
        private boolean outranksWeakest(Category category, Severity severity) {
            for (Signal s : found) {
                if (s.category() == category && s.severity().compareTo(severity) < 0) {
                    return true;
                }
            }
            return false;
        }

        private void dropWeakest(Category category) {
            int weakest = -1;
            for (int i = 0; i < found.size(); i++) {
                Signal s = found.get(i);
                if (s.category() == category
                        && (weakest < 0
                                || s.severity().compareTo(found.get(weakest).severity()) < 0)) {
                    weakest = i;
                }
            }
            found.remove(weakest);
        }

        private void signal(Category category, Severity severity, int firstHit, int lastHit) {
            signalSpan(category, severity, hitStart[firstHit], hitEnd[lastHit]);
        }

        private void signalSpan(Category category, Severity severity, int from, int to) {
            if (perCategory[category.ordinal()] >= MAX_SIGNALS_PER_CATEGORY && !outranksWeakest(category, severity)) {
                return;
            }
            Encoding encoding = Encoding.PLAIN;
            if (decodedVariant) {
                for (int i = from; i < to; i++) {
                    if (text.encoding[i] != 0) {
                        encoding = Encoding.values()[text.encoding[i]];
                        break;
                    }
                }
                if (encoding == Encoding.PLAIN) {
                    return; // the plain pass reports this one
                }
            }
            // finish the word a stem matched, so the evidence reads "instructions", not "instruc"
            while (to < len && to - from < Signal.MAX_EVIDENCE && Lexicon.isWordChar(c[to])) {
                to++;
            }
            int origFrom = text.origin[from];
            for (Signal s : found) {
                if (s.offset() == origFrom && s.category() == category) {
                    return;
                }
            }
            int origTo = to > from ? text.origin[to - 1] + 1 : origFrom + 1;
            origTo = Math.min(Math.max(origTo, origFrom + 1), original.length());
            origTo = Math.min(origTo, origFrom + Signal.MAX_EVIDENCE);
            if (perCategory[category.ordinal()] >= MAX_SIGNALS_PER_CATEGORY) {
                dropWeakest(category);
            } else {
                perCategory[category.ordinal()]++;
            }
            found.add(new Signal(category, severity, original.substring(origFrom, origTo), encoding, origFrom));
        }
    }
}
