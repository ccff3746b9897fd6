package dev.loopline.core.guard.integrity;

import dev.loopline.core.diff.Diff;
import dev.loopline.core.diff.FileChange;
import dev.loopline.core.diff.Hunk;
import dev.loopline.core.diff.Line;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Special cases in product code keyed on literal values ({@code if n == 7: return 13}, {@code case "abc" ->
 * "cba"}, a lookup table of inputs to answers) whose literals also appear in the diff's test files. Candidates
 * are collected while product files are scanned; the test files are read once at the end, and only for the
 * candidates' literals, so the cost stays linear in the diff and is zero when no candidate exists.
 */
final class HardcodedAnswers {

    /** Above this many test files, only those whose name matches a candidate's file are read. */
    private static final int ALL_TEST_FILES_LIMIT = 8;

    /**
     * Test text read to find the candidates' literals. Diffs that special-case literals and carry more matching
     * test text than this are large feature changes, not targeted hacks; the bound keeps the scan within its
     * throughput budget on multi-megabyte diffs.
     */
    private static final long MAX_TEST_CHARS = 64 * 1024;

    /** Test text read from the tree (the tests that already exist), and the longest test file read there. */
    static final long MAX_TREE_CHARS = 4L * 1024 * 1024;

    static final int MAX_TREE_FILE_CHARS = 512 * 1024;

    /**
     * In a test of the tree, the key and the answer must be this close (in lines): the same assertion, table row or
     * parameter list, as {@code assert fib(7) == 13} or {@code (7, 13),}. The whole tree mentions many literals; a
     * key here and an answer there says nothing.
     */
    static final int TREE_WINDOW_LINES = 2;

    private record Candidate(
            String path, int line, String evidence, List<String> keys, boolean returnsLiteral, List<String> values) {}

    private static final CharMask.Literal PUT = new CharMask.Literal("put(");
    private static final CharMask.Literal DIGITS_AND_QUOTES = new CharMask.Literal("0123456789\"'`");

    private final List<Candidate> candidates = new ArrayList<>();

    /** Takes over the candidates {@code other} recorded, after this one's: files scanned apart, resolved together. */
    void addAll(HardcodedAnswers other) {
        candidates.addAll(other.candidates);
    }

    /** Records an added product line when it special-cases literals. */
    void consider(String path, Line l, String t, CharMask m, List<Line> lines, int j) {
        if (!mayHoldLiteral(m)) {
            return;
        }
        char c0 = t.charAt(0);
        boolean conditional = (c0 == 'i' && t.startsWith("if"))
                || (c0 == 'e' && (t.startsWith("elif") || t.startsWith("elsif") || t.startsWith("else if")))
                || (c0 == '}' && (t.startsWith("} else if") || t.startsWith("}else if")))
                || (c0 == 'c' && t.startsWith("case "))
                || (c0 == 'w' && t.startsWith("when "));
        boolean literalFirst = !conditional && startsWithLiteral(t);
        boolean arm = literalFirst && (t.contains("=>") || t.contains(" -> "));
        boolean row = !conditional && !arm && (literalFirst || startsWithEntryCall(t, m, c0));
        if (!conditional && !arm && !row) {
            return;
        }
        if (conditional
                && !(t.contains("==")
                        || t.contains("equals(")
                        || t.contains(" in ")
                        || t.contains(" is ")
                        || c0 == 'c'
                        || c0 == 'w')) {
            return;
        }
        int split = splitPoint(t, conditional);
        String cond = split < 0 ? t : t.substring(0, split);
        String rest = split < 0 ? "" : t.substring(split);
        List<String> keys = nonTrivial(Literals.values(cond));
        if (keys.isEmpty()) {
            return;
        }
        List<String> values = Literals.values(rest);
        boolean returnsLiteral = !values.isEmpty();
        if (!returnsLiteral && conditional) {
            String next = nextAdded(lines, j);
            if (next != null && next.startsWith("return")) {
                values = Literals.values(next.substring(6));
                returnsLiteral = !values.isEmpty() && isLiteralReturn(next);
            }
        }
        if (!returnsLiteral) {
            return;
        }
        candidates.add(new Candidate(path, l.lineNo(), t, keys, true, values));
    }

    /**
     * After all files: a finding per candidate whose key and answer literals both occur in the diff's tests, then,
     * for the candidates left, per candidate whose key and a non-trivial answer occur together in a test of {@code
     * tree} (a change that touches no test may still special-case what the existing tests ask).
     */
    void resolve(Diff diff, TestTree tree, List<Finding> out) {
        if (candidates.isEmpty()) {
            return;
        }
        Set<Candidate> flagged = new HashSet<>();
        resolveInDiff(diff, out, flagged);
        if (flagged.size() < candidates.size()) {
            resolveInTree(tree, out, flagged);
        }
    }

    private void resolveInDiff(Diff diff, List<Finding> out, Set<Candidate> flagged) {
        Set<String> wanted = new HashSet<>();
        Set<String> stems = new HashSet<>();
        for (Candidate c : candidates) {
            wanted.addAll(c.keys());
            wanted.addAll(c.values());
            stems.add(DiffContext.stem(c.path()));
        }
        List<FileChange> tests = new ArrayList<>();
        for (FileChange f : diff.files()) {
            if (PathKind.isTest(f.path())
                    && !PathKind.isDoc(f.path())
                    && !f.hunks().isEmpty()) {
                tests.add(f);
            }
        }
        if (tests.isEmpty()) {
            return;
        }
        boolean all = tests.size() <= ALL_TEST_FILES_LIMIT;
        long lengths = 0;
        for (String w : wanted) {
            lengths |= 1L << Math.min(63, w.length());
        }
        Set<String> found = new HashSet<>();
        long budget = MAX_TEST_CHARS;
        scan:
        for (FileChange f : tests) {
            if (!all && !stems.contains(DiffContext.stem(f.path()))) {
                continue;
            }
            for (Hunk h : f.hunks()) {
                for (Line l : h.lines()) {
                    if (l.kind() != Line.Kind.REMOVED) {
                        String text = l.text();
                        Literals.collect(text, wanted, lengths, found);
                        budget -= text.length() + 1;
                        if (budget < 0) {
                            break scan;
                        }
                    }
                }
            }
        }
        if (budget < 0) {
            // Not every test line was read: say so rather than let a missed match look like a clean result.
            out.add(new Finding(
                    IntegrityRule.HARDCODED_TEST_ANSWER,
                    null,
                    0,
                    Severity.LOW,
                    candidates.size() + " literal special cases; only the first " + MAX_TEST_CHARS
                            + " characters of matching tests were compared"));
        }
        if (found.isEmpty()) {
            return;
        }
        for (Candidate c : candidates) {
            boolean key = false;
            for (String k : c.keys()) {
                if (found.contains(k)) {
                    key = true;
                    break;
                }
            }
            if (!key) {
                continue;
            }
            boolean answer = false;
            boolean nonTrivialAnswer = false;
            for (String v : c.values()) {
                if (found.contains(v)) {
                    answer = true;
                }
                if (!Literals.isTrivial(v)) {
                    nonTrivialAnswer = true;
                }
            }
            // A boolean or small answer cannot be told apart in the tests; the test's use of the key suffices.
            if (answer || !nonTrivialAnswer) {
                flagged.add(c);
                out.add(new Finding(
                        IntegrityRule.HARDCODED_TEST_ANSWER, c.path(), c.line(), Severity.HIGH, c.evidence()));
            }
        }
    }

    /**
     * The tests of the tree, those named like a candidate's file first. Only candidates with a non-trivial answer
     * count here: {@code if role == "admin": return True} beside a test that logs in as admin is ordinary code.
     */
    private void resolveInTree(TestTree tree, List<Finding> out, Set<Candidate> flagged) {
        List<Candidate> open = new ArrayList<>();
        Set<String> wanted = new HashSet<>();
        Set<String> stems = new HashSet<>();
        for (Candidate c : candidates) {
            if (flagged.contains(c) || nonTrivial(c.values()).isEmpty()) {
                continue;
            }
            open.add(c);
            wanted.addAll(c.keys());
            wanted.addAll(nonTrivial(c.values()));
            stems.add(DiffContext.stem(c.path()));
        }
        if (open.isEmpty()) {
            return;
        }
        List<String> named = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String path : tree.paths()) {
            if (PathKind.isTest(path) && !PathKind.isDoc(path)) {
                (stems.contains(DiffContext.stem(path)) ? named : others).add(path);
            }
        }
        named.addAll(others);
        long lengths = 0;
        for (String w : wanted) {
            lengths |= 1L << Math.min(63, w.length());
        }
        long budget = MAX_TREE_CHARS;
        for (String path : named) {
            if (open.isEmpty()) {
                return;
            }
            if (budget <= 0) {
                out.add(new Finding(
                        IntegrityRule.HARDCODED_TEST_ANSWER,
                        null,
                        0,
                        Severity.LOW,
                        open.size() + " literal special cases; only the first " + MAX_TREE_CHARS
                                + " characters of the existing tests were compared"));
                return;
            }
            String text = tree.read(path, MAX_TREE_FILE_CHARS);
            if (text == null) {
                continue;
            }
            budget -= text.length();
            matchWindows(path, text, wanted, lengths, open, out);
        }
    }

    /** Flags (and drops from {@code open}) each candidate whose key and answer share a window of lines of a test. */
    private static void matchWindows(
            String path, String text, Set<String> wanted, long lengths, List<Candidate> open, List<Finding> out) {
        List<Set<String>> window = new ArrayList<>(TREE_WINDOW_LINES + 1);
        int lineNo = 0;
        int start = 0;
        while (start <= text.length() && !open.isEmpty()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl;
            lineNo++;
            Set<String> found = new HashSet<>(2);
            String line = text.substring(start, end);
            Literals.collect(line, wanted, lengths, found);
            if (line.indexOf(',') >= 0 || line.indexOf('|') >= 0) {
                collectCells(line, wanted, found);
            }
            if (window.size() > TREE_WINDOW_LINES) {
                window.remove(0);
            }
            window.add(found);
            if (!found.isEmpty()) {
                for (int i = open.size() - 1; i >= 0; i--) {
                    Candidate c = open.get(i);
                    if (inWindow(window, c.keys(), false) && inWindow(window, c.values(), true)) {
                        open.remove(i);
                        out.add(new Finding(
                                IntegrityRule.HARDCODED_TEST_ANSWER,
                                c.path(),
                                c.line(),
                                Severity.HIGH,
                                c.evidence() + " (the input and answer of the existing test " + path + ":" + lineNo
                                        + ")"));
                    }
                }
            }
            if (nl < 0) {
                break;
            }
            start = nl + 1;
        }
    }

    /**
     * Table rows written inside strings, as JUnit's {@code @CsvSource({"'DE-1234', 0.19"})} or a markdown-style
     * {@code "| 7 | 13 |"}: each comma- or bar-separated cell is a literal too.
     */
    private static void collectCells(String line, Set<String> wanted, Set<String> found) {
        int n = line.length();
        int cellStart = 0;
        for (int i = 0; i <= n; i++) {
            char c = i < n ? line.charAt(i) : ',';
            if (c == ',' || c == '|' || c == '"' || c == '{' || c == '}' || c == '(' || c == ')') {
                String cell = line.substring(cellStart, i).strip();
                if (cell.length() >= 2 && cell.charAt(0) == '\'' && cell.charAt(cell.length() - 1) == '\'') {
                    cell = cell.substring(1, cell.length() - 1);
                }
                if (!cell.isEmpty() && wanted.contains(cell)) {
                    found.add(cell);
                }
                cellStart = i + 1;
            }
        }
    }

    private static boolean inWindow(List<Set<String>> window, List<String> literals, boolean nonTrivialOnly) {
        for (String v : literals) {
            if (nonTrivialOnly && Literals.isTrivial(v)) {
                continue;
            }
            for (Set<String> line : window) {
                if (line.contains(v)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean mayHoldLiteral(CharMask m) {
        return m.intersects(DIGITS_AND_QUOTES);
    }

    private static boolean startsWithLiteral(String t) {
        int i = 0;
        while (i < t.length() && (t.charAt(i) == '{' || t.charAt(i) == '(' || t.charAt(i) == '[')) {
            i++;
        }
        if (i >= t.length()) {
            return false;
        }
        char c = t.charAt(i);
        return c == '"'
                || c == '\''
                || (c >= '0' && c <= '9')
                || (c == '-' && i + 1 < t.length() && Character.isDigit(t.charAt(i + 1)));
    }

    private static boolean startsWithEntryCall(String t, CharMask m, char c0) {
        return (PUT.in(t, m) && (t.startsWith("put(") || t.contains(".put(")))
                || (c0 == 'e' && t.startsWith("entry("))
                || (c0 == 'M' && (t.startsWith("Map.entry(") || t.startsWith("Map.of(")))
                || (c0 == 'm' && t.startsWith("mapOf("));
    }

    /** Where the answer part begins: after {@code return}, {@code =>}, {@code ->}, {@code then} or the key separator. */
    private static int splitPoint(String t, boolean conditional) {
        int r = t.indexOf("return");
        if (r > 0) {
            return r;
        }
        for (String sep : new String[] {"=>", " -> ", " then ", "?"}) {
            int i = t.indexOf(sep);
            if (i > 0) {
                return i;
            }
        }
        if (conditional) {
            return -1;
        }
        // rows: "7": 13, | put(7, 13) | (7, 13) — the first literal is the key
        int colon = t.indexOf(':');
        int cut = colon > 0 ? colon : t.indexOf(',');
        return cut > 0 ? cut : -1;
    }

    private static boolean isLiteralReturn(String next) {
        String v = next.substring(6).strip();
        if (v.endsWith(";")) {
            v = v.substring(0, v.length() - 1).strip();
        }
        if (Literals.values(v).isEmpty()) {
            return false;
        }
        String skeleton = Literals.skeleton(v);
        for (int i = 0; i < skeleton.length(); i++) {
            if ("\u0000[](){},".indexOf(skeleton.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String nextAdded(List<Line> lines, int j) {
        for (int k = j + 1; k < lines.size() && k <= j + 3; k++) {
            Line p = lines.get(k);
            if (p.kind() != Line.Kind.ADDED) {
                return null;
            }
            String s = p.strippedText();
            if (!s.isEmpty() && !s.equals("{")) {
                return s;
            }
        }
        return null;
    }

    private static List<String> nonTrivial(List<String> values) {
        List<String> out = new ArrayList<>(values.size());
        for (String v : values) {
            if (!Literals.isTrivial(v)) {
                out.add(v);
            }
        }
        return out;
    }
}
