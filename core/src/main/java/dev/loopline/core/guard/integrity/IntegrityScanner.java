package dev.loopline.core.guard.integrity;

import dev.loopline.core.diff.ChangeType;
import dev.loopline.core.diff.Diff;
import dev.loopline.core.diff.DiffParseException;
import dev.loopline.core.diff.DiffParser;
import dev.loopline.core.diff.FileChange;
import dev.loopline.core.diff.Hunk;
import dev.loopline.core.diff.Line;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ForkJoinPool;

/**
 * Looks for diffs that make verification easier instead of making the code right: removed, skipped
 * or weakened tests, assumption tricks, build and CI settings that let failures pass, and edits to
 * golden files. Stateless and thread-safe; never throws. An unparseable diff is a single HIGH
 * {@code unparseable-diff} finding, never "clean".
 *
 * <p>Line-level rules see each removed or added line after lines that merely moved inside the file
 * (identical trimmed text removed and added) are paired off, and an assertion whose text reappears
 * in the hunk's added code (a reformatting that splits or joins lines) is not a removal.
 */
public final class IntegrityScanner {

    private static final String[] CI_FAILURE_PASSES = {
        "continue-on-error:true",
        "continueonerror:true",
        "allow_failure:true",
        "||true",
        "||exit0",
        "||:",
        "if:false",
        "if:${{false",
        "if:'false'",
        "when:manual",
        "when:never",
        "catcherror(",
        "catcherror{",
        "unstable(",
        "returnstatus:true",
        "propagate:false",
        "currentbuild.result='success'",
        "currentbuild.result=\"success\"",
        "allow_failures:",
        "set+e",
        "ignore_failure:true",
        "soft_fail:true",
        "ignore_errors:true",
        "ignore-errors:true",
        "continue_on_error:true",
        "failonerror:false",
        "||echo",
        ";exit0",
        "--exit-zero",
        "exit-zero:true",
        "if:\"false",
        "if:${{0",
        "set+opipefail",
        "allowfailure:true"
    };
    private static final String[] TEST_COMMANDS = {
        "pytest",
        "tox",
        "nox ",
        "jest",
        "vitest",
        "rspec",
        "go test",
        "cargo test",
        "cargo nextest",
        "make test",
        "make check",
        "dotnet test",
        "ctest",
        "npm test",
        "npm run test",
        "yarn test",
        "pnpm test",
        "bun test",
        "phpunit",
        "mix test",
        "sbt test",
        "bazel test",
        "unittest"
    };

    private static final CharMask.Literal NABLED = new CharMask.Literal("nabled");
    private static final CharMask.Literal SKIP = new CharMask.Literal("Skip");
    private static final CharMask.Literal SSUME = new CharMask.Literal("ssume");
    private static final CharMask.Literal SSUM = new CharMask.Literal("ssum");
    private static final CharMask.Literal KIP = new CharMask.Literal("kip");
    private static final CharMask.Literal RAISE = new CharMask.Literal("raise");

    /** The longest bare return {@code isEarlyReturn} knows, lower-cased and without white space: "returnnone". */
    private static final int MAX_BARE_RETURN = 10;

    /** Joined added code searched for reformatted assertions; larger blocks fall back to exact lines. */
    private static final int MAX_JOINED_CODE = 4096;

    private static final int MAX_COMMENT_SCAN = 64;

    /** Threads a large diff's files are scanned on; 1 scans every diff on the calling thread. */
    private final int threads;

    /** A scanner that spreads a large diff over the common fork-join pool's workers and the calling thread. */
    public IntegrityScanner() {
        this(ForkJoinPool.getCommonPoolParallelism() + 1);
    }

    /** A scanner that uses at most {@code threads} threads for one diff (1: only the calling thread). */
    public IntegrityScanner(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        this.threads = threads;
    }

    /** Scans a parsed diff, with the tests in it as the only tests known. */
    public List<Finding> scan(Diff diff) {
        return scan(diff, TestTree.NONE);
    }

    /**
     * Scans a parsed diff; {@code tree} holds the tests that exist already, whose inputs and answers product code
     * must not special-case either (read only when the diff special-cases literals).
     */
    public List<Finding> scan(Diff diff, TestTree tree) {
        List<Finding> out = new ArrayList<>();
        if (diff == null) {
            out.add(new Finding(IntegrityRule.UNPARSEABLE_DIFF, null, 0, Severity.HIGH, "no diff"));
            return out;
        }
        DiffContext ctx = DiffContext.of(diff);
        HardcodedAnswers answers = new HardcodedAnswers();
        List<List<FileChange>> parts = ScanParts.split(diff.files(), threads);
        if (parts.size() == 1) {
            scanFiles(diff.files(), ctx, answers, out);
        } else {
            // Files are scanned independently: the parts run in parallel and their results are joined in diff
            // order, so the findings are exactly those of a scan on one thread.
            List<PartScan> scanned = parts.parallelStream()
                    .map(part -> {
                        PartScan p = new PartScan(new ArrayList<>(), new HardcodedAnswers());
                        scanFiles(part, ctx, p.answers(), p.findings());
                        return p;
                    })
                    .toList();
            for (PartScan p : scanned) {
                out.addAll(p.findings());
                answers.addAll(p.answers());
            }
        }
        try {
            answers.resolve(diff, tree, out);
        } catch (RuntimeException e) {
            out.add(new Finding(IntegrityRule.SCANNER_ERROR, null, 0, Severity.HIGH, e.toString()));
        }
        return out;
    }

    private record PartScan(List<Finding> findings, HardcodedAnswers answers) {}

    private void scanFiles(List<FileChange> files, DiffContext ctx, HardcodedAnswers answers, List<Finding> out) {
        for (FileChange f : files) {
            try {
                scanFile(f, ctx, answers, out);
            } catch (RuntimeException e) {
                out.add(new Finding(IntegrityRule.SCANNER_ERROR, f.path(), 0, Severity.HIGH, e.toString()));
            }
        }
    }

    /** Parses then scans; a parse failure yields one HIGH {@code unparseable-diff} finding. */
    public List<Finding> scan(String unifiedDiff) {
        return scan(unifiedDiff, TestTree.NONE);
    }

    /** Parses then scans against the tests of {@code tree}; a parse failure yields one HIGH finding. */
    public List<Finding> scan(String unifiedDiff, TestTree tree) {
        if (unifiedDiff == null) {
            return scan((Diff) null, tree);
        }
        Diff diff;
        try {
            diff = DiffParser.parse(unifiedDiff);
        } catch (DiffParseException e) {
            List<Finding> out = new ArrayList<>(1);
            out.add(new Finding(IntegrityRule.UNPARSEABLE_DIFF, null, e.lineNumber(), Severity.HIGH, e.getMessage()));
            return out;
        }
        return scan(diff, tree);
    }

    /** True when no finding reaches {@code threshold}. */
    public static boolean isClean(List<Finding> findings, Severity threshold) {
        for (Finding f : findings) {
            if (f.severity().atLeast(threshold)) {
                return false;
            }
        }
        return true;
    }

    private void scanFile(FileChange f, DiffContext ctx, HardcodedAnswers answers, List<Finding> out) {
        String oldP = f.oldPath();
        String newP = f.newPath();
        String path = f.path();
        boolean oldTest = PathKind.isTest(oldP);
        boolean newTest = PathKind.isTest(newP);
        boolean ci = PathKind.isCi(oldP) || PathKind.isCi(newP);
        if (ci) {
            out.add(new Finding(
                    IntegrityRule.CI_CONFIG_CHANGED,
                    path,
                    0,
                    Severity.LOW,
                    f.type() + " " + String.join(" -> ", f.paths())));
        }
        boolean fixture = PathKind.isEvalFixture(oldP) || PathKind.isEvalFixture(newP);
        if (f.type() != ChangeType.ADDED && fixture) {
            out.add(new Finding(
                    IntegrityRule.EVAL_FIXTURE_CHANGED,
                    path,
                    firstChangedLine(f),
                    fixtureSeverity(f, ctx),
                    f.type() + " " + String.join(" -> ", f.paths())));
        }
        if (f.binary() || f.modeChanged()) {
            unscannable(f, oldTest || newTest || fixture || ci, out);
        }
        if (f.type() == ChangeType.DELETED && oldTest) {
            out.add(new Finding(IntegrityRule.TEST_FILE_DELETED, oldP, 0, Severity.HIGH, "deleted " + oldP));
            return;
        }
        if (f.type() == ChangeType.RENAMED) {
            Severity away = renamedAway(oldP, newP, oldTest, newTest);
            if (away != null) {
                out.add(new Finding(IntegrityRule.TEST_FILE_RENAMED_AWAY, newP, 0, away, oldP + " -> " + newP));
            }
        }
        if (f.hunks().isEmpty()) {
            return;
        }
        String ext = PathKind.extension(path);
        boolean doc = PathKind.isDoc(path);
        if (doc) {
            return;
        }
        boolean testCtx = newTest || oldTest;
        boolean rust = ext.equals("rs");
        PathKind.Build build = PathKind.build(path);
        boolean code = PathKind.isCode(path);
        boolean harness = PathKind.isTestHarness(path);
        CodeRules codeRules = code || harness || build != PathKind.Build.NONE
                ? new CodeRules(
                        path,
                        testCtx,
                        harness,
                        code && PathKind.isProductSource(path),
                        f.type() != ChangeType.ADDED,
                        out,
                        answers)
                : null;
        CoverageRules coverage = !fixture && (ci || build != PathKind.Build.NONE || PathKind.isConfig(path))
                ? new CoverageRules(path, out)
                : null;
        if (!testCtx && !ci && !rust && build == PathKind.Build.NONE) {
            scanGeneric(f, ext, codeRules, coverage, out);
        } else {
            new FileScan(f, path, ext, testCtx, ci, rust, build, ctx, codeRules, coverage, out).run();
        }
        if (coverage != null) {
            coverage.finish();
        }
    }

    /**
     * A snapshot or golden file rewritten with nothing in the product to explain it is the classic way to make a
     * failing comparison pass; the same edit next to the code that renders it is routine.
     */
    private static Severity fixtureSeverity(FileChange f, DiffContext ctx) {
        if (f.type() == ChangeType.MODIFIED
                && !f.binary()
                && f.removedLines() == 0
                && !f.hunks().isEmpty()) {
            return Severity.LOW; // only new expectations appended
        }
        if (ctx.explains(f.path())) {
            return Severity.LOW;
        }
        return ctx.productChanged() ? Severity.MEDIUM : Severity.HIGH;
    }

    /** Binary content, or a change of file type (symlink, submodule), that no line rule can read. */
    private static void unscannable(FileChange f, boolean sensitive, List<Finding> out) {
        String path = f.path();
        String evidence;
        Severity s;
        boolean buildOrCi = false;
        boolean code = false;
        for (String p : f.paths()) {
            buildOrCi |= PathKind.build(p) != PathKind.Build.NONE || PathKind.isCi(p) || PathKind.isTestHarness(p);
            code |= PathKind.isCode(p);
        }
        if (f.binary()) {
            evidence = "binary " + f.type().name().toLowerCase(Locale.ROOT) + " " + String.join(" -> ", f.paths());
            if (sensitive || buildOrCi || code) {
                s = Severity.HIGH;
            } else if (PathKind.isCompiledCode(path)) {
                s = Severity.MEDIUM;
            } else {
                s = Severity.LOW;
            }
        } else {
            boolean special = isLinkOrModule(f.newMode()) && !isLinkOrModule(f.oldMode());
            if (!special) {
                return; // a plain permission change: the content is still scanned as text
            }
            evidence = "mode " + f.oldMode() + " -> " + f.newMode() + " " + path;
            s = sensitive || buildOrCi ? Severity.HIGH : Severity.LOW;
        }
        out.add(new Finding(IntegrityRule.BINARY_UNSCANNED, path, 0, s, evidence));
    }

    private static boolean isLinkOrModule(String mode) {
        return "120000".equals(mode) || "160000".equals(mode);
    }

    /**
     * A renamed test file that its runner no longer collects: out of the runner's file-name pattern
     * ({@code PriceTest.java -> PriceCheck.java}, {@code price.test.ts -> price.test.ts.bak}) or out of every
     * test directory.
     */
    static Severity renamedAway(String oldP, String newP, boolean oldTest, boolean newTest) {
        if (oldTest && !newTest) {
            return Severity.HIGH;
        }
        if (PathKind.isRunnerCollected(oldP) && !PathKind.isRunnerCollected(newP)) {
            return Severity.HIGH;
        }
        if (PathKind.isRunnerCollected(oldP) && PathKind.inTestDir(oldP) && !PathKind.inTestDir(newP)) {
            return Severity.MEDIUM;
        }
        return null;
    }

    private static void scanGeneric(
            FileChange f, String ext, CodeRules codeRules, CoverageRules coverage, List<Finding> out) {
        for (Hunk h : f.hunks()) {
            if (coverage != null) {
                coverage.beginHunk(h);
            }
            List<Line> lines = h.lines();
            for (int j = 0, n = lines.size(); j < n; j++) {
                Line l = lines.get(j);
                if (l.kind() == Line.Kind.ADDED) {
                    String t = l.strippedText();
                    Severity s = commandLineSkip(t, ext);
                    if (s != null) {
                        out.add(finding(IntegrityRule.BUILD_SKIPS_TESTS, f.path(), l, s));
                    }
                    if (t.isEmpty() || (codeRules == null && coverage == null)) {
                        continue;
                    }
                    CharMask mask = CharMask.of(t);
                    if (codeRules != null) {
                        codeRules.added(l, t, mask, lines, j);
                    }
                    if (coverage != null) {
                        coverage.added(l, t, mask);
                    }
                } else if (coverage != null && l.kind() == Line.Kind.REMOVED) {
                    String t = l.strippedText();
                    coverage.removed(l, t, CharMask.of(t));
                }
            }
        }
    }

    /**
     * {@code -DskipTests}, {@code -x test}, {@code pytest --deselect}, {@code go test -skip} and friends in
     * scripts and config files. Scanned on every added line, so a single pass over the line's dashes decides
     * whether any flag can be there before the {@code contains} checks run.
     */
    private static Severity commandLineSkip(String text, String ext) {
        if (!mayHaveTestFlag(text)) {
            return null;
        }
        boolean code =
                switch (ext) {
                    case "java", "kt", "scala", "groovy", "py", "js", "ts", "go", "rs", "rb", "cs" -> true;
                    default -> false;
                };
        Severity hit = code ? Severity.MEDIUM : Severity.HIGH;
        boolean dashD = text.contains("-D");
        if ((dashD
                        && ((hasFlag(text, "-DskipTests") && !text.contains("-DskipTests=false"))
                                || (hasFlag(text, "-Dmaven.test.skip") && !text.contains("-Dmaven.test.skip=false"))
                                || hasFlag(text, "-DskipITs")
                                || text.contains("-Dmaven.test.failure.ignore=true")
                                || text.contains("-Dtest=!")
                                || text.contains("-Dtest='!")
                                || text.contains("-Dtest=\"!")
                                || text.contains("-Dsurefire.excludesFile")))
                || skipsTaskX(text)
                || text.contains("--exclude-task test")
                || optimizesAssertsAway(text)
                || text.contains("python -O")
                || text.contains("python3 -O")) {
            return hit;
        }
        // Every remaining flag belongs to a named runner; most lines with a dash name none.
        if (!(text.contains("test")
                || text.contains("tox ")
                || text.contains("jest")
                || text.contains("mocha")
                || text.contains("-Dexcluded")
                || text.contains("-Dgroups"))) {
            return null;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        boolean pytest = lower.contains("pytest") || lower.contains("py.test") || lower.contains("tox ");
        if (pytest
                && (lower.contains("--ignore")
                        || lower.contains("--deselect")
                        || lower.contains("--continue-on-collection-errors")
                        || (lower.contains("-k ") || lower.contains("-k=")) && lower.contains("not "))) {
            return hit;
        }
        boolean js = lower.contains("jest")
                || lower.contains("vitest")
                || lower.contains("mocha")
                || lower.contains("npm test")
                || lower.contains("npm run test")
                || lower.contains("yarn test")
                || lower.contains("pnpm test");
        if (js
                && (lower.contains("--testpathignorepatterns")
                        || lower.contains("--passwithnotests")
                        || lower.contains("--invert")
                        || (lower.contains("vitest") && lower.contains("--exclude")))) {
            return hit;
        }
        boolean go = lower.contains("go test");
        boolean cargo = lower.contains("cargo test") || lower.contains("cargo nextest");
        if ((go && (lower.contains(" -skip") || lower.contains(" --skip"))) || (cargo && lower.contains("--skip"))) {
            return hit;
        }
        boolean narrows = (pytest && (lower.contains(" -m ") || lower.contains(" -m=")) && lower.contains("not "))
                || (go && (lower.contains(" -run ") || lower.contains(" -run=")))
                || (cargo && lower.contains("--exclude"))
                || (js
                        && (lower.contains("--testnamepattern")
                                || lower.contains("--testpathpattern")
                                || lower.contains("--onlychanged")
                                || lower.contains("--changedsince")
                                || lower.contains("--findrelatedtests")
                                || lower.contains(" -t ")))
                || lower.contains("-dexcludedgroups")
                || lower.contains("-dgroups=");
        if (narrows) {
            return code ? Severity.LOW : Severity.MEDIUM;
        }
        return null;
    }

    /** One pass over the dashes of a line: is there a flag shape any test-skipping flag starts with? */
    private static boolean mayHaveTestFlag(String text) {
        int i = text.indexOf('-');
        int n = text.length();
        while (i >= 0 && i + 1 < n) {
            char c = text.charAt(i + 1);
            if (c == 'D' || c == 'x' || c == '-' || c == 'O' || c == 'r' || c == 's' || c == 'k' || c == 'm' || c == 't'
                    || c == 'd') {
                return true;
            }
            i = text.indexOf('-', i + 1);
        }
        return text.indexOf("PYTHONOPTIMIZE") >= 0;
    }

    /** {@code PYTHONOPTIMIZE} set to anything but 0 strips every {@code assert} statement, so pytest asserts pass. */
    private static boolean optimizesAssertsAway(String text) {
        int i = text.indexOf("PYTHONOPTIMIZE");
        if (i < 0) {
            return false;
        }
        String rest = TestSyntax.compact(text.substring(i + "PYTHONOPTIMIZE".length()));
        if (rest.startsWith("=") || rest.startsWith(":")) {
            String v = rest.substring(1);
            if (v.startsWith("\"") || v.startsWith("'")) {
                v = v.substring(1);
            }
            return !v.isEmpty()
                    && v.charAt(0) != '0'
                    && v.charAt(0) != '$'
                    && v.charAt(0) != '"'
                    && v.charAt(0) != '\'';
        }
        return false;
    }

    /** Gradle's {@code -x test}, {@code -x :app:test}, {@code -x check}, {@code -x integrationTest}. */
    private static boolean skipsTaskX(String text) {
        int i = text.indexOf(" -x ");
        while (i >= 0) {
            int start = i + 4;
            int end = start;
            while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                end++;
            }
            String task = text.substring(start, end).toLowerCase(Locale.ROOT);
            if (task.endsWith("test") || task.endsWith("check") || task.endsWith("tests")) {
                return true;
            }
            i = text.indexOf(" -x ", end);
        }
        return false;
    }

    private static boolean hasFlag(String text, String flag) {
        return text.contains(flag);
    }

    private static int firstChangedLine(FileChange f) {
        for (Hunk h : f.hunks()) {
            for (Line l : h.lines()) {
                if (l.kind() != Line.Kind.CONTEXT) {
                    return l.lineNo();
                }
            }
        }
        return 0;
    }

    static Finding finding(IntegrityRule rule, String file, Line line, Severity severity) {
        return new Finding(rule, file, line.lineNo(), severity, line.text());
    }

    /** Line-level analysis of one file that is a test, CI, build or Rust source. */
    private static final class FileScan {
        private final FileChange f;
        private final String path;
        private final String ext;
        private final boolean testCtx;
        private final boolean ci;
        private final boolean rust;
        private final PathKind.Build build;
        private final DiffContext ctx;
        private final CodeRules codeRules;
        private final CoverageRules coverage;
        private final List<Finding> out;
        private TextCounts added;
        private TextCounts removed;
        /** Whether some added line of this CI file still runs tests (an edited test step is not a removed one). */
        private boolean addedRunsTests;

        FileScan(
                FileChange f,
                String path,
                String ext,
                boolean testCtx,
                boolean ci,
                boolean rust,
                PathKind.Build build,
                DiffContext ctx,
                CodeRules codeRules,
                CoverageRules coverage,
                List<Finding> out) {
            this.f = f;
            this.path = path;
            this.ext = ext;
            this.testCtx = testCtx;
            this.ci = ci;
            this.rust = rust;
            this.build = build;
            this.ctx = ctx;
            this.codeRules = codeRules;
            this.coverage = coverage;
            this.out = out;
        }

        void run() {
            // Trimmed once per changed line and reused below, so each key is hashed only once.
            List<Hunk> hunks = f.hunks();
            String[][] trimmed = new String[hunks.size()][];
            int addedCount = 0;
            int removedCount = 0;
            for (int i = 0; i < trimmed.length; i++) {
                List<Line> lines = hunks.get(i).lines();
                String[] ts = new String[lines.size()];
                for (int j = 0; j < ts.length; j++) {
                    Line l = lines.get(j);
                    if (l.kind() == Line.Kind.ADDED) {
                        ts[j] = l.strippedText();
                        addedCount++;
                        if (ci && !addedRunsTests) {
                            addedRunsTests = runsTests(ts[j].toLowerCase(Locale.ROOT));
                        }
                    } else if (l.kind() == Line.Kind.REMOVED) {
                        ts[j] = l.strippedText();
                        removedCount++;
                    }
                }
                trimmed[i] = ts;
            }
            // Added texts are only looked up by removed lines and the other way round: a file that only adds
            // (a new file) or only removes lines hashes none of them.
            added = new TextCounts(removedCount == 0 ? 0 : addedCount);
            removed = new TextCounts(addedCount == 0 ? 0 : removedCount);
            if (addedCount > 0 && removedCount > 0) {
                count(hunks, trimmed);
            }
            for (int i = 0; i < trimmed.length; i++) {
                scanHunk(hunks.get(i), trimmed[i]);
            }
        }

        private void count(List<Hunk> hunks, String[][] trimmed) {
            for (int i = 0; i < trimmed.length; i++) {
                List<Line> lines = hunks.get(i).lines();
                String[] ts = trimmed[i];
                for (int j = 0; j < ts.length; j++) {
                    if (ts[j] != null) {
                        (lines.get(j).kind() == Line.Kind.ADDED ? added : removed).add(ts[j]);
                    }
                }
            }
        }

        /** One run of consecutive removed/added lines; assertion pairing happens inside it. */
        private static final class Block {
            final List<Line> removedAsserts = new ArrayList<>();
            final List<Line> addedAsserts = new ArrayList<>();
            final List<Line> addedComments = new ArrayList<>();
            final List<String> addedCode = new ArrayList<>();
            /** Removed and added test lines that are not assertions, kept only while no product source changed. */
            final List<Line> removedOther = new ArrayList<>();

            final List<Line> addedOther = new ArrayList<>();

            boolean isEmpty() {
                return removedAsserts.isEmpty()
                        && addedAsserts.isEmpty()
                        && addedComments.isEmpty()
                        && addedCode.isEmpty()
                        && removedOther.isEmpty();
            }
        }

        /**
         * @param trimmed the stripped text of each added and removed line; null for context lines, whose text
         *     is stripped only when a rule looks back at it
         */
        private void scanHunk(Hunk h, String[] trimmed) {
            if (coverage != null) {
                coverage.beginHunk(h);
            }
            boolean expectations = testCtx && !ctx.productChanged();
            Block block = new Block();
            String hunkLower = null;
            Line prev1 = null;
            Line prev2 = null;
            List<Line> lines = h.lines();
            for (int j = 0; j < trimmed.length; j++) {
                Line l = lines.get(j);
                String t = trimmed[j];
                switch (l.kind()) {
                    case REMOVED -> {
                        if (added.consume(t)) {
                            continue;
                        }
                        if ((testCtx || rust && t.startsWith("#[")) && TestSyntax.isTestDeclaration(t, ext)) {
                            out.add(finding(IntegrityRule.TEST_REMOVED, path, l, Severity.HIGH));
                        } else if (testCtx && TestSyntax.isAssertion(t)) {
                            block.removedAsserts.add(l);
                        } else if (expectations && !t.isEmpty()) {
                            block.removedOther.add(l);
                        }
                        if (ci && !addedRunsTests && runsTests(t.toLowerCase(Locale.ROOT))) {
                            out.add(finding(IntegrityRule.CI_TEST_STEP_REMOVED, path, l, Severity.HIGH));
                        }
                        if (coverage != null && !t.isEmpty()) {
                            coverage.removed(l, t, CharMask.of(t));
                        }
                    }
                    case ADDED -> {
                        boolean moved = removed.consume(t);
                        String code = TestSyntax.commentedCode(t);
                        if (code == null && testCtx) {
                            block.addedCode.add(t);
                        }
                        if (!moved && !t.isEmpty()) {
                            if (hunkLower == null && build != PathKind.Build.NONE) {
                                hunkLower = hunkText(h);
                            }
                            boolean assertion = scanAdded(
                                    l,
                                    t,
                                    code,
                                    prev1,
                                    prev2,
                                    hunkLower,
                                    block.addedAsserts,
                                    block.addedComments,
                                    h.lines(),
                                    j);
                            if (expectations && !assertion && code == null) {
                                block.addedOther.add(l);
                            }
                        }
                        if (!t.isEmpty()) {
                            prev2 = prev1;
                            prev1 = l;
                        }
                    }
                    case CONTEXT -> {
                        if (!block.isEmpty()) {
                            pairAssertions(block);
                            block = new Block();
                        }
                        if (!l.isBlank()) {
                            prev2 = prev1;
                            prev1 = l;
                        }
                    }
                }
            }
            if (!block.isEmpty()) {
                pairAssertions(block);
            }
        }

        /** Returns whether the line is an assertion of test code. */
        private boolean scanAdded(
                Line l,
                String t,
                String code,
                Line prev1,
                Line prev2,
                String hunkLower,
                List<Line> addedAsserts,
                List<Line> addedComments,
                List<Line> lines,
                int j) {
            boolean assertion = false;
            CharMask mask = CharMask.of(t);
            if (codeRules != null) {
                codeRules.added(l, t, mask, lines, j);
            }
            if (coverage != null) {
                coverage.added(l, t, mask);
            }
            LineText line = new LineText(t, mask, ci || build != PathKind.Build.NONE || mayNeedCompact(t, mask));
            if ((testCtx || rust) && code == null) {
                Severity skip = TestSyntax.skipMarker(line, ext);
                if (skip != null && (testCtx || t.startsWith("#["))) {
                    out.add(finding(IntegrityRule.TEST_SKIPPED, path, l, skip));
                }
            }
            if (testCtx && code == null) {
                if (TestSyntax.isFocusMarker(t)) {
                    out.add(finding(IntegrityRule.TEST_FOCUSED, path, l, Severity.MEDIUM));
                }
                Severity assume = assumption(l, line);
                if (assume != null) {
                    out.add(finding(IntegrityRule.ASSUMPTION_SKIP, path, l, assume));
                }
                if (mayBeEarlyReturn(t) && isEarlyReturn(line.compactLower(), prev1, prev2)) {
                    out.add(finding(IntegrityRule.EARLY_RETURN, path, l, Severity.HIGH));
                }
                if (TestSyntax.isAssertion(t)) {
                    if (TestSyntax.mayBeTrivialAssertion(t) && TestSyntax.isTrivialAssertion(line.compactLower())) {
                        out.add(finding(IntegrityRule.ASSERTION_TRIVIAL, path, l, Severity.HIGH));
                    }
                    addedAsserts.add(l);
                    assertion = true;
                }
            }
            if (testCtx && code != null && TestSyntax.isAssertion(code)) {
                addedComments.add(l);
            }
            if (ci) {
                String cl = line.compactLower();
                boolean passes = false;
                for (String p : CI_FAILURE_PASSES) {
                    if (cl.contains(p)) {
                        passes = true;
                        break;
                    }
                }
                // "cmd; true" and a bare "exit 0" before the tests end the step green whatever ran
                passes |= cl.endsWith(";true")
                        || cl.contains(";true\"")
                        || cl.contains(";true'")
                        || cl.equals("exit0")
                        || cl.endsWith("run:exit0")
                        || cl.endsWith("-exit0");
                if (passes) {
                    out.add(finding(IntegrityRule.CI_FAILURE_IGNORED, path, l, Severity.HIGH));
                }
            }
            if (build != PathKind.Build.NONE) {
                Severity s = BuildRules.check(
                        build, t, line.compactLower(), stripped(prev1), hunkLower, f.type() != ChangeType.ADDED);
                if (s != null) {
                    out.add(finding(IntegrityRule.BUILD_SKIPS_TESTS, path, l, s));
                }
            }
            if (code == null && !testCtx) {
                Severity s = commandLineSkip(t, ext);
                if (s != null) {
                    out.add(finding(IntegrityRule.BUILD_SKIPS_TESTS, path, l, s));
                }
            }
            return assertion;
        }

        /** Cheap prefilter: only lines with these fragments are checked in whitespace-free form. */
        private static boolean mayNeedCompact(String t, CharMask mask) {
            return NABLED.in(t, mask)
                    || SKIP.in(t, mask)
                    || SSUME.in(t, mask)
                    || RAISE.in(t, mask)
                    || t.startsWith("if")
                    || t.startsWith("return")
                    || t.startsWith("assert")
                    || t.startsWith("Assert")
                    || t.startsWith("expect")
                    || t.startsWith("self.assert");
        }

        private Severity assumption(Line l, LineText line) {
            String t = line.t;
            if (!SSUM.in(t, line.mask) && !KIP.in(t, line.mask) && !RAISE.in(t, line.mask)) {
                return null;
            }
            String compact = line.compact();
            if (compact.contains("assumeTrue(false")
                    || compact.contains("assumeFalse(true")
                    || compact.contains("assume(false")
                    || compact.contains("raiseunittest.SkipTest")
                    || compact.contains("raiseSkipTest")) {
                return Severity.HIGH;
            }
            if (t.startsWith("pytest.skip(")) {
                boolean moduleLevel =
                        !l.text().isEmpty() && !Character.isWhitespace(l.text().charAt(0));
                return moduleLevel || t.contains("allow_module_level") ? Severity.HIGH : Severity.MEDIUM;
            }
            if (t.contains("assumeTrue(")
                    || t.contains("assumeFalse(")
                    || t.contains("assumeThat(")
                    || t.contains("assumingThat(")
                    || t.contains("Assumptions.assume")
                    || t.contains("Assume.assume")
                    || t.contains("assumeNotNull(")
                    || t.contains("pytest.importorskip(")
                    || t.contains("self.skipTest(")) {
                return Severity.MEDIUM;
            }
            return null;
        }

        /**
         * An exact necessary condition for {@link #isEarlyReturn}, read off the trimmed line without building its
         * lower-cased whitespace-free form: every form that starts with 'r' is a bare return of at most {@value
         * #MAX_BARE_RETURN} characters, every form that starts with 'i' is {@code if(} or {@code iftrue}. Lines
         * with a non-ASCII character where it matters are always candidates: lower-casing may change them.
         */
        private static boolean mayBeEarlyReturn(String t) {
            char c = t.charAt(0);
            if (c == 'r' || c == 'R') {
                int n = TestSyntax.compactLength(t, MAX_BARE_RETURN);
                return n < 0 || n <= MAX_BARE_RETURN;
            }
            if (c == 'i' || c == 'I') {
                return mayStartIfTrue(t);
            }
            return c >= 128;
        }

        /** Whether the second and third non-blank characters can lower-case to 'f', then '(' or 't'. */
        private static boolean mayStartIfTrue(String t) {
            int seen = 0;
            for (int i = 1; i < t.length(); i++) {
                char ch = t.charAt(i);
                if (ch >= 128) {
                    return true;
                }
                if (Character.isWhitespace(ch)) {
                    continue;
                }
                seen++;
                if (seen == 1 && ch != 'f' && ch != 'F') {
                    return false;
                }
                if (seen == 2) {
                    return ch == '(' || ch == 't' || ch == 'T';
                }
            }
            return false;
        }

        private static String stripped(Line l) {
            return l == null ? null : l.text().strip();
        }

        private boolean isEarlyReturn(String cl, Line prev1Line, Line prev2Line) {
            if (cl.startsWith("if(true)return")
                    || cl.startsWith("if(true){return")
                    || cl.startsWith("iftrue{return")
                    || cl.startsWith("iftrue:return")
                    || cl.startsWith("if(1)return")) {
                return true;
            }
            boolean bareReturn = cl.equals("return;")
                    || cl.equals("return")
                    || cl.equals("returnnil")
                    || cl.equals("returnnone")
                    || cl.equals("return()");
            if (!bareReturn || prev1Line == null) {
                return false;
            }
            String prev1 = stripped(prev1Line);
            String prev2 = stripped(prev2Line);
            boolean opens = prev1.endsWith("{") || prev1.endsWith(":");
            return opens
                    && (TestSyntax.isTestDeclaration(prev1, ext)
                            || (prev2 != null && TestSyntax.isTestDeclaration(prev2, ext)));
        }

        private void pairAssertions(Block block) {
            if (!block.removedOther.isEmpty()) {
                editedLiterals(block);
            }
            if (block.removedAsserts.isEmpty()) {
                return;
            }
            java.util.Set<String> addedCompact = new java.util.HashSet<>();
            StringBuilder joined = new StringBuilder();
            for (String code : block.addedCode) {
                String c = TestSyntax.compact(code);
                addedCompact.add(c);
                if (joined.length() <= MAX_JOINED_CODE) {
                    joined.append(c);
                }
            }
            boolean joinedComplete = joined.length() <= MAX_JOINED_CODE;
            String addedCode = joined.toString();
            for (Line r : block.removedAsserts) {
                String rt = r.text().strip();
                String rc = TestSyntax.compact(rt);
                Line commented = null;
                int scanned = 0;
                for (Line c : block.addedComments) {
                    if (++scanned > MAX_COMMENT_SCAN) {
                        break;
                    }
                    String code = TestSyntax.commentedCode(c.text().strip());
                    String cc = code == null ? "" : TestSyntax.compact(code);
                    if (!cc.isEmpty() && (cc.contains(rc) || rc.contains(cc))) {
                        commented = c;
                        break;
                    }
                }
                if (commented != null) {
                    block.addedComments.remove(commented);
                    out.add(new Finding(
                            IntegrityRule.ASSERTION_COMMENTED_OUT,
                            path,
                            commented.lineNo(),
                            Severity.HIGH,
                            commented.text()));
                    continue;
                }
                if (!rc.isEmpty() && (addedCompact.contains(rc) || (joinedComplete && addedCode.contains(rc)))) {
                    continue; // reformatted: same code split, joined or re-indented
                }
                if (!block.addedAsserts.isEmpty()) {
                    Line a = block.addedAsserts.remove(0);
                    String at = a.text().strip();
                    boolean weaker = TestSyntax.isStrongAssertion(rt) && !TestSyntax.isStrongAssertion(at)
                            || TestSyntax.isTrivialAssertion(
                                    TestSyntax.compact(at).toLowerCase(Locale.ROOT));
                    if (!weaker && !ctx.productChanged() && onlyLiteralsDiffer(rt, at)) {
                        out.add(new Finding(
                                IntegrityRule.EXPECTATION_EDITED_WITHOUT_SOURCE_CHANGE,
                                path,
                                a.lineNo(),
                                Severity.HIGH,
                                rt + " -> " + at));
                        continue;
                    }
                    out.add(new Finding(
                            weaker ? IntegrityRule.ASSERTION_WEAKENED : IntegrityRule.ASSERTION_MODIFIED,
                            path,
                            a.lineNo(),
                            weaker ? Severity.HIGH : Severity.LOW,
                            rt + " -> " + at));
                    continue;
                }
                out.add(finding(IntegrityRule.ASSERTION_REMOVED, path, r, Severity.HIGH));
            }
        }

        /**
         * Test lines (table rows, expected values, parameters) rewritten so that only literal values differ, in a
         * diff that changes no product source: the expectations were moved to the code's current output. Pairs
         * are found by skeleton in one pass over the block.
         */
        private void editedLiterals(Block block) {
            java.util.Map<String, java.util.ArrayDeque<Line>> bySkeleton = new java.util.HashMap<>();
            for (Line r : block.removedOther) {
                String sk = Literals.skeleton(r.text().strip());
                if (Literals.hasLiteral(sk)) {
                    bySkeleton
                            .computeIfAbsent(sk, k -> new java.util.ArrayDeque<>())
                            .add(r);
                }
            }
            if (bySkeleton.isEmpty()) {
                return;
            }
            for (Line a : block.addedOther) {
                String at = a.text().strip();
                java.util.ArrayDeque<Line> same = bySkeleton.get(Literals.skeleton(at));
                if (same == null || same.isEmpty()) {
                    continue;
                }
                String rt = same.poll().text().strip();
                if (!rt.equals(at)) {
                    out.add(new Finding(
                            IntegrityRule.EXPECTATION_EDITED_WITHOUT_SOURCE_CHANGE,
                            path,
                            a.lineNo(),
                            Severity.MEDIUM,
                            rt + " -> " + at));
                }
            }
        }

        private static boolean onlyLiteralsDiffer(String before, String after) {
            String sk = Literals.skeleton(before);
            return Literals.hasLiteral(sk) && sk.equals(Literals.skeleton(after));
        }

        private static String hunkText(Hunk h) {
            StringBuilder sb = new StringBuilder();
            for (Line l : h.lines()) {
                sb.append(l.text()).append('\n');
            }
            return sb.toString().toLowerCase(Locale.ROOT);
        }

        private static boolean runsTests(String lower) {
            for (String c : TEST_COMMANDS) {
                if (lower.contains(c)) {
                    return true;
                }
            }
            if (lower.contains("mvn")
                    && (lower.contains(" test")
                            || lower.contains(" verify")
                            || lower.contains(" install")
                            || lower.contains(" package"))) {
                return true;
            }
            if (lower.contains("gradle")
                    && (lower.contains(" test") || lower.contains(" check") || lower.contains(" build"))) {
                return true;
            }
            return (lower.contains("name:") || lower.contains("uses:") || lower.contains("stage("))
                    && lower.contains("test");
        }
    }
}
