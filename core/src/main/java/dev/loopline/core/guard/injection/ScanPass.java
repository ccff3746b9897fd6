package dev.loopline.core.guard.injection;

import static dev.loopline.core.guard.injection.Lexicon.ACTION;
import static dev.loopline.core.guard.injection.Lexicon.ACT_AS;
import static dev.loopline.core.guard.injection.Lexicon.ADDR_CUE;
import static dev.loopline.core.guard.injection.Lexicon.AI_ADDR_STRONG;
import static dev.loopline.core.guard.injection.Lexicon.AI_ADDR_WEAK;
import static dev.loopline.core.guard.injection.Lexicon.BOUNDARY_TAG;
import static dev.loopline.core.guard.injection.Lexicon.DEV_MODE;
import static dev.loopline.core.guard.injection.Lexicon.DIRECTIVE;
import static dev.loopline.core.guard.injection.Lexicon.EXPLAIN;
import static dev.loopline.core.guard.injection.Lexicon.EX_DEST;
import static dev.loopline.core.guard.injection.Lexicon.EX_SECRET;
import static dev.loopline.core.guard.injection.Lexicon.EX_SOFT;
import static dev.loopline.core.guard.injection.Lexicon.EX_VERB;
import static dev.loopline.core.guard.injection.Lexicon.NEGATION;
import static dev.loopline.core.guard.injection.Lexicon.NET_TOOL;
import static dev.loopline.core.guard.injection.Lexicon.NEW_INSTR;
import static dev.loopline.core.guard.injection.Lexicon.OVR_NOUN;
import static dev.loopline.core.guard.injection.Lexicon.OVR_QUAL;
import static dev.loopline.core.guard.injection.Lexicon.OVR_REF;
import static dev.loopline.core.guard.injection.Lexicon.OVR_VERB;
import static dev.loopline.core.guard.injection.Lexicon.PERSONA;
import static dev.loopline.core.guard.injection.Lexicon.READ_VERB;
import static dev.loopline.core.guard.injection.Lexicon.RISKY_ACTION;
import static dev.loopline.core.guard.injection.Lexicon.ROLE_TAG;
import static dev.loopline.core.guard.injection.Lexicon.ROLE_TOKEN;
import static dev.loopline.core.guard.injection.Lexicon.STRONG_DIR;
import static dev.loopline.core.guard.injection.Lexicon.TOOL_STRONG;
import static dev.loopline.core.guard.injection.Lexicon.TOOL_VERB;
import static dev.loopline.core.guard.injection.Lexicon.TOOL_WEAK;
import static dev.loopline.core.guard.injection.Lexicon.YOU_ARE_NOW;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One scan of one folded text: finds every keyword, then rates keyword combinations, role lines, invented role
 * tags, data-carrying images and links, hidden regions and text addressed to an AI. Not thread-safe; one per scan.
 */
final class ScanPass {
    private static final int MAX_SIGNALS_PER_CATEGORY = 5;
    private static final int LOOKAROUND_SLACK = 64;
    /** Words that, just before "ignore", make it a tool's pragma: {@code c8 ignore next}, {@code @ts-ignore}. */
    private static final List<String> PRAGMA_PREFIXES = List.of(
            "c8 ",
            "v8 ",
            "istanbul ",
            "type: ",
            "type:",
            "ts-",
            "prettier-",
            "biome-",
            "deno-lint-",
            "jscpd:",
            "coverage:",
            "mypy: ");

    /** Words that follow a pragma's "ignore": {@code c8 ignore next 3}, {@code biome-ignore lint/style}. */
    private static final Set<String> PRAGMA_WORDS =
            Set.of("next", "start", "stop", "file", "else", "if", "line", "lint");

    /** Tag names that usage lines use as placeholders: {@code <user>}, {@code <context>}. */
    private static final Set<String> PLACEHOLDER_NAMES = Set.of("user", "context", "document", "documents", "admin");

    private static final List<String> ROLE_WORDS = List.of("system", "assistant", "developer");
    /** "LLM instructions:", "AI note:": a name, one of these, a colon. */
    private static final List<String> ADDRESS_NOUNS = List.of(
            "instructions",
            "instruction",
            "note",
            "notice",
            "message",
            "directive",
            "directives",
            "only",
            "readers",
            "reader",
            "reviewers",
            "reviewer",
            "prompt",
            "rules",
            "task",
            "guidance");

    private static final List<String> ROLE_TAG_WORDS = List.of(
            "system",
            "assistant",
            "human",
            "developer",
            "admin",
            "tool",
            "function",
            "instructions",
            "prompt",
            "user",
            "model");

    private static final List<String> TRANSCRIPT_HUMAN = List.of("human:", "user:", "human]", "user]");
    private static final List<String> TRANSCRIPT_ASSISTANT =
            List.of("assistant:", "ai:", "assistant]", "model:", "chatgpt:", "claude:", "gpt:");
    private static final List<String> ROLE_SUFFIXES = List.of(
            " prompt", " message", " instructions", " override", " note", " notice", " update", " alert", " command");

    private final KeywordMatcher matcher;
    private final int[] concept;
    private final boolean[] reverseOk;
    private final boolean[] leftBoundary;
    private final boolean[] rightBoundary;

    private final MappedText text;
    /** Per tag keyword, whether the text closes it somewhere; filled as {@link #placeholder} asks. */
    private Map<Integer, Boolean> closedTags;

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
    private final List<Integer> explanations;
    // every signal raised, in folded coordinates, even when the per-category cap dropped it from the result
    private int[] spanFrom = new int[16];
    private int[] spanTo = new int[16];
    private int[] spanCategory = new int[16];
    private int[] spanSeverity = new int[16];
    private int spans;
    private int humanTurnAt = -1;
    private int assistantTurnAt = -1;

    ScanPass(Tables tables, MappedText text, String original, boolean decodedVariant, List<Integer> explanations) {
        this.matcher = tables.matcher();
        this.concept = tables.concept();
        this.reverseOk = tables.reverseOk();
        this.leftBoundary = tables.leftBoundary();
        this.rightBoundary = tables.rightBoundary();
        this.text = text;
        this.c = text.chars;
        this.len = text.length;
        this.original = original;
        this.decodedVariant = decodedVariant;
        this.explanations = explanations;
    }

    void run(List<Signal> sink) {
        matcher.scan(c, len, this::hit);
        evaluate();
        roleLines();
        compoundRoleTags();
        ImageExfiltration.scan(
                text, original, (severity, from, to) -> signalSpan(Category.EXFILTRATION, severity, from, to));
        hiddenAndAddressed();
        sink.addAll(found);
    }

    private boolean isStrongInstruction(int concept) {
        return concept == OVR_VERB
                || concept == RISKY_ACTION
                || concept == STRONG_DIR
                || concept == NEW_INSTR
                || concept == YOU_ARE_NOW
                || concept == ACT_AS;
    }

    private boolean isWeakInstruction(int concept) {
        return concept == DIRECTIVE
                || concept == ACTION
                || concept == TOOL_VERB
                || concept == READ_VERB
                || concept == EX_VERB
                || concept == EX_SOFT;
    }

    /** Whether a signal of a category that says "instruction" (not a bare role word) lies in [from, to). */
    private boolean instructingSignalWithin(int from, int to, Severity atLeast) {
        for (int k = 0; k < spans; k++) {
            int cat = spanCategory[k];
            if (spanFrom[k] >= from
                    && spanFrom[k] < to
                    && Severity.values()[spanSeverity[k]].atLeast(atLeast)
                    && (cat == Category.INSTRUCTION_OVERRIDE.ordinal()
                            || cat == Category.PERSONA_SWITCH.ordinal()
                            || cat == Category.EXFILTRATION.ordinal()
                            || cat == Category.ADDRESSED_TO_AI.ordinal())) {
                return true;
            }
        }
        return false;
    }

    /** First hit index whose start is at or after {@code pos}. */
    private int firstHitFrom(int pos) {
        int lo = 0;
        int hi = hits;
        // hits are ordered by end; starts are nearly ordered, so step back over long keywords
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (hitEnd[mid] < pos) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * An AI named as the addressee: after a cue ("note to the", "if you are an"), after '@', or followed by
     * ':' (strong names also by ',' or '!').
     */
    private boolean addressed(int h) {
        int start = hitStart[h];
        if (start > 0 && c[start - 1] == '@') {
            return true;
        }
        for (int j = h - 1; j >= 0 && hitEnd[j] >= start - 14; j--) {
            if (conceptOf(j) == ADDR_CUE && hitEnd[j] <= start && !newlineBetween(hitEnd[j], start)) {
                return true;
            }
        }
        char last = c[hitEnd[h] - 1];
        if (last == ':' || ((last == ',' || last == '!') && sentenceStart(start))) {
            return true; // "AI:", "AI," are keywords of their own
        }
        int k = hitEnd[h];
        while (k < len && (Lexicon.isWordChar(c[k]) && k - hitEnd[h] < 2)) {
            k++; // plural "agents", "LLMs"
        }
        while (k < len && c[k] == ' ') {
            k++;
        }
        if (k < len && c[k] == ':') {
            return true;
        }
        for (String word : ADDRESS_NOUNS) {
            if (startsWith(k, len, word)) {
                int e = k + word.length();
                while (e < len && c[e] == ' ') {
                    e++;
                }
                if (e < len && c[e] == ':') {
                    return true;
                }
            }
        }
        // "Claude, ignore ...": a vocative only at the start of a sentence, not "to configure the AI assistant,
        // set"
        return conceptOf(h) == AI_ADDR_STRONG && k < len && (c[k] == ',' || c[k] == '!') && sentenceStart(start);
    }

    private boolean sentenceStart(int at) {
        int k = at - 1;
        while (k >= 0 && (c[k] == ' ' || c[k] == '*' || c[k] == '-' || c[k] == '>' || c[k] == '#')) {
            k--;
        }
        return k < 0 || c[k] == '\n' || c[k] == '.' || c[k] == '!' || c[k] == '?' || c[k] == ':' || c[k] == '"';
    }

    private boolean newlineBetween(int from, int to) {
        for (int i = from; i < to; i++) {
            if (c[i] == '\n') {
                return true;
            }
        }
        return false;
    }

    /**
     * Hidden text (comments, alt text, hidden elements) and text addressed to an AI. Hidden text that names an AI
     * and instructs it, or hides an injection, is high; visible text that addresses an AI by name and
     * overrides, redirects or silences is high, and plain requests to it are medium.
     */
    private void hiddenAndAddressed() {
        boolean anyAddressee = false;
        boolean anyDirective = false;
        for (int h = 0; h < hits; h++) {
            int concept = conceptOf(h);
            anyAddressee |= concept == AI_ADDR_STRONG || concept == AI_ADDR_WEAK;
            anyDirective |= concept != OVR_VERB && isStrongInstruction(concept);
        }
        // exactly the conditions under which a region can raise anything: skip the search otherwise
        if (anyAddressee || anyDirective || instructingSignalWithin(0, len, Severity.MEDIUM)) {
            HiddenRegions regions = HiddenRegions.find(text);
            for (int r = 0; r < regions.count(); r++) {
                region(regions.start(r), regions.end(r), regions.kind(r));
            }
        }
        if (!anyAddressee) {
            return;
        }
        for (int h = 0; h < hits; h++) {
            int concept = conceptOf(h);
            if ((concept != AI_ADDR_STRONG && concept != AI_ADDR_WEAK) || !addressed(h)) {
                continue;
            }
            int until = Math.min(len, hitEnd[h] + 300);
            boolean strong = false;
            boolean weak = false;
            // an AI told to act on a secret (run printenv, read the key) and to hand the result on (paste, post,
            // include it in the reply) is being used as the attacker's hands and mouth: high, as an override is
            boolean acts = false;
            boolean sends = false;
            boolean secret = false;
            for (int j = h + 1; j < hits && hitStart[j] < until; j++) {
                if (paragraphBreak(hitEnd[h], hitStart[j])) {
                    break;
                }
                int next = conceptOf(j);
                strong |= isStrongInstruction(next);
                weak |= isWeakInstruction(next);
                acts |= next == ACTION || next == TOOL_VERB || next == READ_VERB;
                sends |= next == EX_VERB || next == EX_SOFT;
                secret |= next == EX_SECRET;
            }
            strong |= (acts && sends && secret) || instructingSignalWithin(hitEnd[h], until, Severity.MEDIUM);
            if (strong) {
                signal(Category.ADDRESSED_TO_AI, Severity.HIGH, h, h);
            } else if (weak) {
                signal(Category.ADDRESSED_TO_AI, Severity.MEDIUM, h, h);
            }
        }
    }

    private void region(int from, int to, int kind) {
        boolean strongName = false;
        boolean addressedName = false;
        boolean strong = false;
        boolean weak = false;
        for (int j = firstHitFrom(from); j < hits && hitStart[j] < to; j++) {
            if (hitStart[j] < from) {
                continue;
            }
            int concept = conceptOf(j);
            if (concept == AI_ADDR_STRONG || concept == AI_ADDR_WEAK) {
                strongName |= concept == AI_ADDR_STRONG;
                addressedName |= addressed(j);
            }
            strong |= isStrongInstruction(concept);
            weak |= isWeakInstruction(concept);
        }
        boolean hiddenInjection = instructingSignalWithin(from, to, Severity.MEDIUM);
        Severity severity = Severity.NONE;
        if (kind == HiddenRegions.HIDDEN) {
            if ((strongName || addressedName) && (strong || weak || hiddenInjection)) {
                severity = Severity.HIGH;
            } else if (hiddenInjection) {
                severity = Severity.HIGH;
            } else if (strong && hasStrongDirective(from, to)) {
                severity = Severity.MEDIUM;
            }
        } else if ((addressedName && (strong || weak || hiddenInjection))
                || (strongName && (strong || hiddenInjection))) {
            severity = Severity.HIGH;
        }
        if (severity != Severity.NONE) {
            signalSpan(Category.HIDDEN_INSTRUCTION, severity, from, Math.min(to, from + Signal.MAX_EVIDENCE));
        }
    }

    private boolean hasStrongDirective(int from, int to) {
        for (int j = firstHitFrom(from); j < hits && hitStart[j] < to; j++) {
            int concept = conceptOf(j);
            if (hitStart[j] >= from && concept != OVR_VERB && isStrongInstruction(concept)) {
                return true;
            }
        }
        return false;
    }

    private boolean paragraphBreak(int from, int to) {
        for (int i = from; i + 1 < to; i++) {
            if (c[i] == '\n' && c[i + 1] == '\n') {
                return true;
            }
        }
        return false;
    }

    /** A directive or a claim of new instructions within {@code window} characters before or after, same paragraph. */
    private boolean directiveNear(int h, int window) {
        for (int j = h - 1; j >= 0 && hitEnd[j] >= hitStart[h] - window; j--) {
            int concept = conceptOf(j);
            if ((concept == DIRECTIVE || concept == NEW_INSTR || concept == STRONG_DIR)
                    && !paragraphBreak(hitEnd[j], hitStart[h])) {
                return true;
            }
        }
        for (int j = h + 1; j < hits && hitStart[j] <= hitEnd[h] + window; j++) {
            int concept = conceptOf(j);
            if ((concept == DIRECTIVE || concept == NEW_INSTR || concept == STRONG_DIR)
                    && !paragraphBreak(hitEnd[h], hitStart[j])) {
                return true;
            }
        }
        return false;
    }

    /** Whether an instruction (not a mere action word) follows within {@code window} characters of {@code pos}. */
    private boolean instructionFollows(int h, int pos, int window) {
        int until = Math.min(len, pos + window);
        for (int j = h + 1; j < hits && hitStart[j] < until; j++) {
            int concept = conceptOf(j);
            if (hitStart[j] >= pos
                    && (isStrongInstruction(concept)
                            || concept == DIRECTIVE
                            || concept == EX_VERB
                            || concept == ROLE_TOKEN)) {
                return true;
            }
        }
        return false;
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
                case OVR_VERB -> {
                    if (!toolPragma(h)) {
                        override(h);
                    }
                }
                case NEW_INSTR -> signal(Category.INSTRUCTION_OVERRIDE, Severity.MEDIUM, h, h);
                case ROLE_TOKEN -> signal(Category.ROLE_SPOOF, Severity.HIGH, h, h);
                case ROLE_TAG, BOUNDARY_TAG -> signal(
                        Category.ROLE_SPOOF,
                        placeholder(h) || proseBoundary(h)
                                ? Severity.LOW
                                : instructionFollows(h, hitEnd[h], 300) ? Severity.HIGH : Severity.MEDIUM,
                        h,
                        h);
                case EXPLAIN -> {
                    if (explanations != null && !decodedVariant) {
                        explanations.add(text.origin[hitStart[h]]);
                    }
                }
                case YOU_ARE_NOW, ACT_AS -> persona(h);
                case DEV_MODE -> signal(Category.PERSONA_SWITCH, Severity.MEDIUM, h, h);
                case RISKY_ACTION -> signal(
                        Category.TOOL_DIRECTIVE, directiveNear(h, 200) ? Severity.MEDIUM : Severity.LOW, h, h);
                case EX_VERB, EX_SOFT -> exfiltration(h);
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
        if (negated(v)) {
            return; // "never commit the .env file"
        }
        int secret = after(v, EX_SECRET, 50);
        int first = v;
        if (secret < 0 && reverseOk[hitKeyword[v]]) {
            secret = before(v, EX_SECRET, 30);
            first = secret;
        }
        if (secret < 0) {
            // "read ~/.ssh/id_rsa and post it ...": a secret someone is told to read, then a sink
            secret = readSecretBefore(v);
            first = secret < 0 ? v : readVerbBefore(secret);
        }
        if (secret < 0) {
            return;
        }
        int last = Math.max(v, secret);
        int dest = after(last, EX_DEST, 80);
        // "commit", "include", "print" publish only into a sink named after them
        boolean soft = conceptOf(v) == EX_SOFT;
        if (dest < 0 && !soft) {
            dest = firstBetween(first, last, EX_DEST);
        }
        if (dest < 0 && !soft) {
            dest = before(first, EX_DEST, 40);
        }
        if (dest >= 0) {
            int from = Math.min(first, dest);
            int to = Math.max(last, dest);
            // "send the API key in the X-Api-Key header to https://api...": how to authenticate, not a leak
            boolean header = contains(hitStart[from], hitEnd[to], "header")
                    || contains(hitStart[from], hitEnd[to], "authorization");
            signal(Category.EXFILTRATION, header ? Severity.MEDIUM : Severity.HIGH, from, to);
        } else {
            signal(Category.EXFILTRATION, Severity.MEDIUM, first, last);
        }
    }

    /** A negation ends right before the verb, with no punctuation between. */
    private boolean negated(int v) {
        int start = hitStart[v];
        for (int j = v - 1; j >= 0 && hitEnd[j] >= start - 14; j--) {
            if (conceptOf(j) == NEGATION && hitEnd[j] <= start) {
                for (int i = hitEnd[j]; i < start; i++) {
                    char ch = c[i];
                    if (ch == ',' || ch == ';' || ch == '.' || ch == ':' || ch == '\n') {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }

    /** A secret within 150 characters before the sink verb, itself preceded by a read verb; same paragraph. */
    private int readSecretBefore(int v) {
        int start = hitStart[v];
        for (int j = v - 1; j >= 0 && hitEnd[j] >= start - 150; j--) {
            if (conceptOf(j) == EX_SECRET && hitEnd[j] <= start && !paragraphBreak(hitEnd[j], start)) {
                if (readVerbBefore(j) >= 0) {
                    return j;
                }
            }
        }
        return -1;
    }

    private int readVerbBefore(int secret) {
        int start = hitStart[secret];
        for (int j = secret - 1; j >= 0 && hitEnd[j] >= start - 50; j--) {
            if (conceptOf(j) == READ_VERB && hitEnd[j] <= start && !sentenceBreak(hitEnd[j], start)) {
                return j;
            }
        }
        return -1;
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

    /**
     * Role-play lines: {@code system:}, {@code [assistant]}, {@code ### System prompt}, {@code ### SYSTEM OVERRIDE
     * ###}, {@code === SYSTEM MESSAGE ===} at a line start.
     */
    private void roleLines() {
        int[] marks = text.marks();
        int markCount = text.markCount();
        for (int mark = -1; mark < markCount; mark++) {
            int i = mark < 0 ? 0 : marks[mark] + 1;
            if (mark >= 0 && (i > len || c[i - 1] != '\n')) {
                continue;
            }
            int k = i;
            int hashes = 0;
            int rules = 0;
            boolean bracket = false;
            while (k < len
                    && (c[k] == ' '
                            || c[k] == '#'
                            || c[k] == '>'
                            || c[k] == '*'
                            || c[k] == '-'
                            || c[k] == '='
                            || c[k] == '[')) {
                hashes += c[k] == '#' ? 1 : 0;
                rules += c[k] == '=' || c[k] == '-' || c[k] == '*' ? 1 : 0;
                bracket |= c[k] == '[';
                k++;
            }
            // a heading: "### System", or a title between rules, "=== SYSTEM MESSAGE ===", "*** SYSTEM ***"; not
            // an option such as "--system" on a line of its own, nor bold "**System**"
            boolean heading = hashes > 0 || (rules >= 2 && c[k - 1] == ' ');
            transcriptTurn(k);
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
            if (heading) {
                // the heading's closing marks: "### SYSTEM OVERRIDE ###", "=== SYSTEM ==="
                while (m < len && (c[m] == ' ' || c[m] == '*' || c[m] == '#' || c[m] == '=' || c[m] == '-')) {
                    m++;
                }
            }
            boolean header = heading && (m >= len || c[m] == '\n' || c[m] == ':');
            if (colon || closeBracket || header) {
                int lineEnd = HiddenRegions.lineEnd(c, len, m);
                int nextEnd = lineEnd < len ? HiddenRegions.lineEnd(c, len, lineEnd + 1) : lineEnd;
                boolean instructs = instructionFollows(firstHitFrom(m) - 1, m, Math.min(200, nextEnd - m));
                signalSpan(Category.ROLE_SPOOF, instructs ? Severity.HIGH : Severity.MEDIUM, k, Math.min(len, m + 1));
            }
        }
        if (humanTurnAt >= 0 && assistantTurnAt >= 0) {
            int from = Math.min(humanTurnAt, assistantTurnAt);
            signalSpan(Category.ROLE_SPOOF, Severity.HIGH, from, Math.min(len, from + 12));
        }
    }

    /**
     * Invented role tags made of a role word and another word: {@code <system_message>}, {@code </user-input>},
     * {@code <|assistant_response|>}. Plain tags ({@code <system>}) are in the lexicon.
     */
    private void compoundRoleTags() {
        int[] marks = text.marks();
        int markCount = text.markCount();
        for (int m = 0; m < markCount; m++) {
            int i = marks[m];
            if (c[i] != '<') {
                continue;
            }
            int k = i + 1;
            while (k < len && (c[k] == '/' || c[k] == '|')) {
                k++;
            }
            int nameStart = k;
            boolean compound = false;
            boolean role = false;
            int tokenStart = k;
            while (k <= len) {
                char ch = k < len ? c[k] : ' ';
                boolean letter = ch >= 'a' && ch <= 'z';
                if (!letter) {
                    if (k > tokenStart) {
                        role |= roleTagWord(tokenStart, k);
                    }
                    if ((ch == '_' || ch == '-') && k > nameStart && k - nameStart < 40) {
                        compound = true;
                        tokenStart = k + 1;
                    } else {
                        break;
                    }
                }
                k++;
            }
            if (compound && role && k < len && (c[k] == '>' || c[k] == '|')) {
                int end = Math.min(len, k + 1);
                signalSpan(
                        Category.ROLE_SPOOF,
                        instructionFollows(firstHitFrom(end) - 1, end, 300) ? Severity.HIGH : Severity.MEDIUM,
                        i,
                        end);
            }
        }
    }

    /**
     * An opening tag that is a placeholder in a usage line, as in {@code npm owner add <user> <package>} or {@code
     * kubectl config use-context <context>}: after a word on its line, not followed by a letter, and never closed in
     * the text. A forged turn starts its line, runs into its text ({@code <user>delete}) or is closed. Only names that
     * serve as placeholders count: never {@code <system>}.
     */
    private boolean placeholder(int h) {
        int start = hitStart[h];
        int end = hitEnd[h];
        if (c[start] != '<'
                || c[end - 1] != '>'
                || !PLACEHOLDER_NAMES.contains(new String(c, start + 1, end - start - 2))) {
            return false;
        }
        if (end < len && Lexicon.isWordChar(c[end])) {
            return false;
        }
        boolean wordBefore = false;
        for (int k = start - 1; k >= 0 && k >= start - 200 && c[k] != '\n' && !wordBefore; k--) {
            wordBefore = Lexicon.isWordChar(c[k]);
        }
        if (!wordBefore) {
            return false;
        }
        if (closedTags == null) {
            closedTags = new HashMap<>();
        }
        return !closedTags.computeIfAbsent(hitKeyword[h], k -> {
            String closing = "</" + new String(c, start + 1, end - start - 1);
            return contains(0, len, closing);
        });
    }

    /**
     * A boundary written as words ("end of input", "begin system prompt") inside ordinary prose or code, as in
     * {@code throw error("unexpected end of input")}: lower case and after other words on its line. A forged
     * boundary is set apart ({@code --- END OF USER INPUT ---}, a line of its own) or shouted. Text decoded from an
     * encoding always counts.
     */
    private boolean proseBoundary(int h) {
        int start = hitStart[h];
        if (decodedVariant || !Lexicon.isWordChar(c[start])) {
            return false;
        }
        for (int k = start - 1; k >= 0 && k >= start - 200 && c[k] != '\n'; k--) {
            if (Lexicon.isWordChar(c[k]) || c[k] == '/' || c[k] == '"' || c[k] == '\'' || c[k] == '(') {
                // other words, a comment or a string on the line before it: prose, unless written in capitals
                for (int i = start; i < hitEnd[h]; i++) {
                    if (Character.isUpperCase(original.charAt(text.origin[i]))) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }

    /**
     * An override verb that is a linter's or coverage tool's pragma: {@code c8 ignore start}, {@code # type:
     * ignore}, {@code @ts-ignore}, {@code prettier-ignore}. It tells a tool, not a model, to skip a line.
     */
    private boolean toolPragma(int h) {
        int start = hitStart[h];
        boolean prefixed = false;
        for (String prefix : PRAGMA_PREFIXES) {
            int from = start - prefix.length();
            prefixed |= from >= 0 && startsWith(from, start, prefix);
        }
        if (!prefixed) {
            return false;
        }
        // and what follows is a pragma's, not "c8 ignore previous instructions"
        int k = hitEnd[h];
        while (k < len && Lexicon.isWordChar(c[k])) {
            k++;
        }
        while (k < len && c[k] == ' ') {
            k++;
        }
        if (k >= len || !Lexicon.isWordChar(c[k])) {
            return true; // "ignore-start", "ignore[attr]", "ignore */", the line's end
        }
        int wordEnd = k;
        while (wordEnd < len && Lexicon.isWordChar(c[wordEnd])) {
            wordEnd++;
        }
        return PRAGMA_WORDS.contains(new String(c, k, wordEnd - k));
    }

    private boolean roleTagWord(int from, int to) {
        for (String w : ROLE_TAG_WORDS) {
            if (to - from == w.length() && startsWith(from, to, w)) {
                return true;
            }
        }
        return false;
    }

    /** "Human:" and "Assistant:" (or "User:" and "AI:") turns at line starts: a forged conversation. */
    private void transcriptTurn(int k) {
        if (k >= len || "humacg".indexOf(c[k]) < 0) {
            return;
        }
        for (String w : TRANSCRIPT_HUMAN) {
            if (humanTurnAt < 0 && startsWith(k, len, w)) {
                humanTurnAt = k;
            }
        }
        for (String w : TRANSCRIPT_ASSISTANT) {
            if (assistantTurnAt < 0 && startsWith(k, len, w)) {
                assistantTurnAt = k;
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
                // nor does '?' or '!' inside a URL (/?q=, /!x)
                boolean inWord = ch < 128
                        && i + 1 < len
                        && (Lexicon.isWordChar(c[i + 1]) || c[i + 1] == '=' || c[i + 1] == '/')
                        && (ch == '.' || (i > 0 && (c[i - 1] == '/' || Lexicon.isWordChar(c[i - 1]))));
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
                    && (weakest < 0 || s.severity().compareTo(found.get(weakest).severity()) < 0)) {
                weakest = i;
            }
        }
        found.remove(weakest);
    }

    private void signal(Category category, Severity severity, int firstHit, int lastHit) {
        signalSpan(category, severity, hitStart[firstHit], hitEnd[lastHit]);
    }

    private void signalSpan(Category category, Severity severity, int from, int to) {
        if (spans == spanFrom.length) {
            spanFrom = Arrays.copyOf(spanFrom, spans * 2);
            spanTo = Arrays.copyOf(spanTo, spans * 2);
            spanCategory = Arrays.copyOf(spanCategory, spans * 2);
            spanSeverity = Arrays.copyOf(spanSeverity, spans * 2);
        }
        spanFrom[spans] = from;
        spanTo[spans] = to;
        spanCategory[spans] = category.ordinal();
        spanSeverity[spans] = severity.ordinal();
        spans++;
        if (perCategory[category.ordinal()] >= MAX_SIGNALS_PER_CATEGORY && !outranksWeakest(category, severity)) {
            return;
        }
        Encoding encoding = Encoding.PLAIN;
        if (decodedVariant) {
            for (int i = from; i < to; i++) {
                if (text.encoding(i) != 0) {
                    encoding = Encoding.values()[text.encoding(i)];
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

    /** The scanner's keyword automaton and per-keyword facts, shared by every pass. */
    record Tables(
            KeywordMatcher matcher,
            int[] concept,
            boolean[] reverseOk,
            boolean[] leftBoundary,
            boolean[] rightBoundary) {}
}
