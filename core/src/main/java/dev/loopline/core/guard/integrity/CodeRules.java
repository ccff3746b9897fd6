package dev.loopline.core.guard.integrity;

import dev.loopline.core.diff.Line;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Rules on added lines of code that make failing tests report as passing without touching a test's
 * assertions: outcome-rewriting hooks, listeners and reporters; patched assertion methods; swallowed
 * assertion errors; exits with status 0 from test code; equality that holds for everything; product code that
 * detects the test runner; coverage exclusion pragmas. One instance per file; each line is gated by its
 * character mask before any {@code contains}, so lines that cannot match cost a few bit tests (ADR 0005).
 */
final class CodeRules {

    private static final CharMask.Literal XIT = new CharMask.Literal("xit");
    /** Equality definitions that contain a 'q' ({@code equals}, {@code __eq__}, {@code fn eq}, {@code Equal}). */
    private static final CharMask.Literal[] EQUALITY_MARKERS_Q = {
        new CharMask.Literal("quals"),
        new CharMask.Literal("__eq__"),
        new CharMask.Literal("def eql?"),
        new CharMask.Literal("fn eq("),
        new CharMask.Literal(") Equal")
    };
    /** The others: inequality definitions, Swift's operator, jest's asymmetric matchers. */
    private static final CharMask.Literal[] EQUALITY_MARKERS = {
        new CharMask.Literal("__ne__"),
        new CharMask.Literal("fn ne("),
        new CharMask.Literal("func =="),
        new CharMask.Literal("symmetricMatch")
    };

    private static final CharMask.Literal[] ENV_ACCESS = {
        new CharMask.Literal("env"),
        new CharMask.Literal("Env"),
        new CharMask.Literal("ENV"),
        new CharMask.Literal("sys."),
        new CharMask.Literal("Testing"),
        new CharMask.Literal("cfg!"),
        new CharMask.Literal("junit"),
        new CharMask.Literal("Lookup"),
        new CharMask.Literal("typeof"),
        new CharMask.Literal("defined?"),
        new CharMask.Literal("os.Args")
    };
    private static final CharMask.Literal ASSERT_DOT = new CharMask.Literal(".assert");
    private static final CharMask.Literal ASSERT_DOT_START = new CharMask.Literal("assert.");
    private static final CharMask.Literal DEF_ASSERT = new CharMask.Literal("def assert");
    private static final CharMask.Literal DEF_EQ_MARK = new CharMask.Literal("def =");
    private static final CharMask.Literal DEF_NE_MARK = new CharMask.Literal("def !");
    private static final CharMask.Literal PUT_CALL = new CharMask.Literal(".put(");
    private static final CharMask.Literal EQ_DUNDER = new CharMask.Literal("__eq__");
    private static final CharMask.Literal NE_DUNDER = new CharMask.Literal("__ne__");
    private static final CharMask.Literal FN_EQ = new CharMask.Literal("fn eq(");
    private static final CharMask.Literal FN_NE = new CharMask.Literal("fn ne(");
    private static final CharMask.Literal DEF_EQL = new CharMask.Literal("def eql?");
    private static final CharMask.Literal GO_EQUAL = new CharMask.Literal(") Equal");
    private static final CharMask.Literal QUALS = new CharMask.Literal("quals");
    private static final CharMask.Literal SYMMETRIC_MATCH = new CharMask.Literal("symmetricMatch");
    private static final CharMask.Literal ENV_LOWER = new CharMask.Literal("env");
    private static final CharMask.Literal ENV_UPPER = new CharMask.Literal("ENV");
    private static final CharMask.Literal SYS_DOT = new CharMask.Literal("sys.");
    private static final CharMask.Literal TESTING = new CharMask.Literal("Testing");
    private static final CharMask.Literal LOOKUP = new CharMask.Literal("Lookup");
    private static final CharMask.Literal DEFINED = new CharMask.Literal("defined?");
    private static final CharMask.Literal PRAGMA = new CharMask.Literal("pragma");
    private static final CharMask.Literal ISTANBUL = new CharMask.Literal("istanbul");
    private static final CharMask.Literal C8_IGNORE = new CharMask.Literal("c8 ignore");
    private static final CharMask.Literal V8_IGNORE = new CharMask.Literal("v8 ignore");
    private static final CharMask.Literal COVERAGE = new CharMask.Literal("overage");
    private static final CharMask.Literal DIGITS_AND_QUOTES = new CharMask.Literal("0123456789\"'`");
    /** In test modules only unittest's classes are patched: TestCase, TestResult and their methods. */
    private static final CharMask.Literal UNITTEST_PATCH = new CharMask.Literal("Test");

    private static final CharMask.Literal PYTEST_ = new CharMask.Literal("pytest_");
    private static final CharMask.Literal OUTCOME = new CharMask.Literal("outcome");
    private static final CharMask.Literal LONGREPR = new CharMask.Literal("longrepr");
    private static final CharMask.Literal EXCINFO = new CharMask.Literal("excinfo");
    private static final CharMask.Literal WASXFAIL = new CharMask.Literal("wasxfail");
    private static final CharMask.Literal FORCE_RESULT = new CharMask.Literal("force_result");
    private static final CharMask.Literal EXITSTATUS = new CharMask.Literal("exitstatus");
    private static final CharMask.Literal TESTSFAILED = new CharMask.Literal("testsfailed");
    private static final CharMask.Literal ASSERT = new CharMask.Literal("assert");
    private static final CharMask.Literal TESTCASE = new CharMask.Literal("TestCase");
    private static final CharMask.Literal TESTRESULT = new CharMask.Literal("TestResult");
    private static final CharMask.Literal ADD_FAILURE = new CharMask.Literal("addFailure");
    private static final CharMask.Literal ADD_ERROR = new CharMask.Literal("addError");
    private static final CharMask.Literal WAS_SUCCESSFUL = new CharMask.Literal("wasSuccessful");
    private static final CharMask.Literal EXPECT = new CharMask.Literal("expect");
    private static final CharMask.Literal ASSERTION_PROTO = new CharMask.Literal("Assertion");
    private static final CharMask.Literal OVERWRITE = new CharMask.Literal("overwrite");
    private static final CharMask.Literal RESULTS_PROCESSOR = new CharMask.Literal("testResultsProcessor");
    private static final CharMask.Literal NUM_FAIL = new CharMask.Literal("numFail");
    private static final CharMask.Literal FAILURE_MESSAGES = new CharMask.Literal("failureMessages");
    private static final CharMask.Literal STATUS = new CharMask.Literal("status");
    private static final CharMask.Literal STATE = new CharMask.Literal("state");
    private static final CharMask.Literal SUCCESS = new CharMask.Literal("success");
    private static final CharMask.Literal FAILURES = new CharMask.Literal("failures");
    private static final CharMask.Literal ERRORS = new CharMask.Literal("errors");
    private static final CharMask.Literal PASS_TRUE = new CharMask.Literal("pass");
    private static final CharMask.Literal REPORTERS = new CharMask.Literal("eporter");
    private static final CharMask.Literal EXEC_HANDLER = new CharMask.Literal("TestExecutionExceptionHandler");
    private static final CharMask.Literal HANDLE_EXEC = new CharMask.Literal("handleTestExecutionException");
    private static final CharMask.Literal INVOCATION_SKIP = new CharMask.Literal("invocation.skip()");
    private static final CharMask.Literal SET_STATUS = new CharMask.Literal("setStatus(");
    private static final CharMask.Literal SET_THROWABLE = new CharMask.Literal("setThrowable(null");
    private static final CharMask.Literal SET_ENABLED_FALSE = new CharMask.Literal("setEnabled(false");
    private static final CharMask.Literal CATCH = new CharMask.Literal("catch");
    private static final CharMask.Literal EXCEPT = new CharMask.Literal("except");
    private static final CharMask.Literal RESCUE = new CharMask.Literal("rescue");
    private static final CharMask.Literal ASSERTION_ERROR = new CharMask.Literal("Assertion");
    private static final CharMask.Literal EXPECTATION_NOT_MET = new CharMask.Literal("ExpectationNotMet");
    private static final CharMask.Literal EXPECTATIONS = new CharMask.Literal("Expectations");
    private static final CharMask.Literal SHOULD_PANIC = new CharMask.Literal("#[should_panic");
    private static final CharMask.Literal DUNDER_TEST = new CharMask.Literal("__test__");
    private static final CharMask.Literal GO_BUILD = new CharMask.Literal("build");
    private static final CharMask.Literal CFG = new CharMask.Literal("#[cfg(");
    private static final CharMask.Literal ITEMS = new CharMask.Literal("items");
    private static final CharMask.Literal DESELECTED = new CharMask.Literal("pytest_deselected(");
    private static final CharMask.Literal ANY = new CharMask.Literal("ANY");
    private static final CharMask.Literal ANYTHING = new CharMask.Literal("expect.anything()");
    private static final CharMask.Literal RETURN_VALUE_TRUE = new CharMask.Literal("return_value");
    private static final CharMask.Literal COVER = new CharMask.Literal("cover");
    private static final CharMask.Literal COVER_UPPER = new CharMask.Literal("COVER");
    private static final CharMask.Literal IGNORE = new CharMask.Literal("ignore");
    private static final CharMask.Literal LCOV = new CharMask.Literal("LCOV_EXCL");
    private static final CharMask.Literal NOCOV = new CharMask.Literal("nocov");
    private static final CharMask.Literal CODE_COVERAGE = new CharMask.Literal("CodeCoverage");
    private static final CharMask.Literal TARPAULIN = new CharMask.Literal("tarpaulin");

    /** Test-runner probes that contain a capital letter. */
    private static final CharMask.Literal[] RUNNER_PROBES = {
        new CharMask.Literal("PYTEST_CURRENT_TEST"),
        new CharMask.Literal("PYTEST_XDIST"),
        new CharMask.Literal("JEST_WORKER_ID"),
        new CharMask.Literal("process.env.JEST"),
        new CharMask.Literal("VITEST"),
        new CharMask.Literal("MOCHA_"),
        new CharMask.Literal("testing.Testing()"),
        new CharMask.Literal("flag.Lookup(\"test."),
        new CharMask.Literal("defined?(RSpec"),
        new CharMask.Literal("defined?(Minitest")
    };

    private static final CharMask.Literal CAPITALS = new CharMask.Literal("ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    private static final CharMask.Literal CFG_TEST = new CharMask.Literal("cfg!(test)");
    private static final CharMask.Literal JUNIT_NAME = new CharMask.Literal("\"org.junit");
    private static final CharMask.Literal TYPEOF = new CharMask.Literal("typeof ");
    private static final CharMask.Literal UNDERSCORE_PYTEST = new CharMask.Literal("_pytest");
    private static final CharMask.Literal SYS_MODULES = new CharMask.Literal("sys.modules");
    private static final CharMask.Literal SYS_ARGV = new CharMask.Literal("sys.argv");
    private static final CharMask.Literal OS_ARGS = new CharMask.Literal("os.Args");
    private static final CharMask.Literal[] ENV_NAMES = {
        new CharMask.Literal("NODE_ENV"),
        new CharMask.Literal("RAILS_ENV"),
        new CharMask.Literal("RACK_ENV"),
        new CharMask.Literal("APP_ENV"),
        new CharMask.Literal("FLASK_ENV"),
        new CharMask.Literal("DJANGO_ENV"),
        new CharMask.Literal("ENVIRONMENT")
    };
    private static final CharMask.Literal RAILS_TEST = new CharMask.Literal("env.test?");
    private static final CharMask.Literal[] CI_NAMES = {
        new CharMask.Literal("GITHUB_ACTIONS"),
        new CharMask.Literal("GITLAB_CI"),
        new CharMask.Literal("CONTINUOUS_INTEGRATION"),
        new CharMask.Literal("JENKINS_URL"),
        new CharMask.Literal("BUILDKITE"),
        new CharMask.Literal("TRAVIS"),
        new CharMask.Literal("CIRCLECI"),
        new CharMask.Literal("TF_BUILD")
    };
    private static final CharMask.Literal CI_DQ = new CharMask.Literal("\"CI\"");
    private static final CharMask.Literal CI_SQ = new CharMask.Literal("'CI'");
    private static final CharMask.Literal CI_DOT = new CharMask.Literal("env.CI");

    private static final String[] EXIT_ZERO = {
        "sys.exit(0)",
        "sys.exit()",
        "os._exit(0)",
        "os._exit,0",
        "raiseSystemExit(0)",
        "process.exit(0)",
        "process.exit()",
        "process.exitCode=0",
        "process.reallyExit(0)",
        "System.exit(0)",
        ".halt(0)",
        "Runtime.getRuntime().exit(0)",
        "exitProcess(0)",
        "os.Exit(0)",
        "process::exit(0)",
        "Environment.Exit(0)",
        "Kernel.exit(0)",
        "Kernel.exit!",
        "exit!(0)",
        "Process.exit!(",
        "Process.exit(0)"
    };
    private static final String[] EXIT_STATEMENTS = {
        "exit(0)",
        "exit()",
        "exit",
        "exit0",
        "exittrue",
        "exit(true)",
        "exit!",
        "quit()",
        "raiseSystemExit",
        "raiseSystemExit()",
        "raiseSystemExit(0)",
        "exit(0);",
        "exit();"
    };
    private static final String[] SWALLOWED_ASSERTION_TYPES = {
        "catch(AssertionError",
        "catch(finalAssertionError",
        "catch(java.lang.AssertionError",
        "catch(AssertionFailedError",
        "catch(org.opentest4j.AssertionFailedError",
        "catch(junit.framework.AssertionFailedError",
        "catch(ComparisonFailure",
        "catch(org.junit.ComparisonFailure",
        "catch(MultipleFailuresError",
        "catch(e:AssertionError",
        "catch(e:AssertionFailedError",
        "catch(e:AssertionError)",
        "exceptAssertionError",
        "except(AssertionError",
        "exceptunittest.TestCase.failureException",
        "exceptself.failureException",
        "exceptpytest.fail.Exception",
        "exceptFailed",
        "rescueMinitest::Assertion",
        "rescueRSpec::Expectations::ExpectationNotMetError",
        "rescueTest::Unit::AssertionFailedError"
    };
    private static final String[] GENERIC_CATCHES = {
        "except:",
        "exceptException",
        "exceptBaseException",
        "catch(Throwable",
        "catch(finalThrowable",
        "catch(Exception",
        "catch(finalException",
        "catch(e){",
        "catch(e){}",
        "catch{",
        "catch(_){",
        "catch(err){",
        "catch(error){",
        "rescueException",
        "rescue=>",
        "rescue"
    };
    private static final String[] EXPECTED_ASSERTION_FAILURE = {
        "expected=AssertionError.class",
        "expected=AssertionFailedError.class",
        "expected=java.lang.AssertionError.class",
        "expectedExceptions=AssertionError.class",
        "assertThrows(AssertionError.class",
        "assertThrows(AssertionFailedError.class",
        "assertThrows<AssertionError>",
        "assertFailsWith<AssertionError>",
        "pytest.raises(AssertionError",
        "assertRaises(AssertionError",
        "assert_raises(Minitest::Assertion",
        "toThrow(AssertionError",
        "raise_error(RSpec::Expectations"
    };

    private final String path;
    private final String ext;
    private final boolean testCtx;
    private final boolean harness;
    private final boolean product;
    private final boolean configLike;
    private final boolean python;
    private final boolean js;
    private final boolean jvm;
    private final boolean code;
    private final boolean reporterFile;
    private final boolean collectionPlugin;
    private final boolean toolingFile;
    /** Python files where pytest hooks live: conftest, package inits, plugins, harness, and non-test helpers. */
    private final boolean hookFile;

    private final boolean rust;
    private final boolean goTest;
    /**
     * Gate literals by file role (the flags that choose them), computed once per role. An atomic array, because
     * files of one large diff are scanned on several threads and a plain array store would not publish the
     * array's contents to them.
     */
    private static final AtomicReferenceArray<CharMask.Literal[]> GATES = new AtomicReferenceArray<>(512 * 8);

    /** The language groups {@link #gateLiterals()} distinguishes, as a 3-bit part of the gate cache key. */
    private static int language(String ext) {
        return switch (ext) {
            case "py" -> 1;
            case "js", "jsx", "ts", "tsx", "mjs", "cjs" -> 2;
            case "java", "kt", "kts", "scala", "groovy" -> 3;
            case "rb" -> 4;
            case "go" -> 5;
            case "rs" -> 6;
            default -> 0;
        };
    }

    private final CharMask.Literal[] gate;
    private final long[] gateLo;
    private final long[] gateHi;

    private final boolean existingFile;
    private final List<Finding> out;
    private final HardcodedAnswers answers;

    CodeRules(
            String path,
            boolean testCtx,
            boolean harness,
            boolean product,
            boolean existingFile,
            List<Finding> out,
            HardcodedAnswers answers) {
        this.path = path;
        this.ext = PathKind.extension(path);
        this.testCtx = testCtx;
        this.harness = harness;
        this.product = product;
        this.existingFile = existingFile;
        this.out = out;
        this.answers = answers;
        this.python = ext.equals("py");
        this.js = switch (ext) {
            case "js", "jsx", "ts", "tsx", "mjs", "cjs", "mts", "cts", "vue", "svelte" -> true;
            default -> false;
        };
        this.jvm = switch (ext) {
            case "java", "kt", "kts", "scala", "groovy" -> true;
            default -> false;
        };
        this.code = PathKind.isCode(path);
        String lowerPath = path.toLowerCase(java.util.Locale.ROOT);
        this.reporterFile = lowerPath.contains("reporter") || lowerPath.contains("processor");
        this.collectionPlugin = lowerPath.contains("plugin") || lowerPath.contains("pytest");
        // Product files get the outcome-rewriting rules only when they look like test tooling; build and
        // configuration files (jest.config.js, package.json) always do.
        String baseName = PathKind.basename(path);
        this.hookFile = python
                && (baseName.equals("conftest.py")
                        || baseName.equals("__init__.py")
                        || harness
                        || collectionPlugin
                        || (testCtx && !PathKind.isRunnerCollected(path))
                        || !product);
        this.toolingFile = !product
                || reporterFile
                || collectionPlugin
                || lowerPath.contains("test")
                || lowerPath.contains("hook")
                || lowerPath.contains("listener")
                || lowerPath.contains("extension")
                || lowerPath.contains("junit")
                || lowerPath.contains("jest")
                || lowerPath.contains("mocha");
        String base = PathKind.basename(path).toLowerCase(java.util.Locale.ROOT);
        this.configLike = base.contains("config")
                || base.contains("setting")
                || base.contains("conf.")
                || base.startsWith("env")
                || base.contains("environment");
        this.rust = ext.equals("rs");
        this.goTest = ext.equals("go") && (testCtx || harness);
        int role = ((testCtx || harness) ? 1 : 0)
                | (python ? 2 : 0)
                | (hookFile ? 4 : 0)
                | (js ? 8 : 0)
                | (code ? 0 : 16)
                | (toolingFile ? 32 : 0)
                | (jvm ? 64 : 0)
                | (product ? 128 : 0)
                | (ext.equals("rb") ? 256 : 0)
                | (language(ext) << 9);
        CharMask.Literal[] cached = GATES.get(role);
        if (cached == null) {
            cached = gateLiterals().toArray(new CharMask.Literal[0]);
            GATES.set(role, cached); // a benign race: every thread computes the same array
        }
        this.gate = cached;
        this.gateLo = new long[gate.length];
        this.gateHi = new long[gate.length];
        for (int g = 0; g < gate.length; g++) {
            gateLo[g] = gate[g].lo();
            gateHi[g] = gate[g].hi();
        }
    }

    /**
     * @param l an added line that did not merely move
     * @param t its trimmed text, not empty
     * @param m the mask of {@code t}
     * @param lines the hunk's lines, for bounded look-around
     * @param j the index of {@code l} in {@code lines}
     */
    void added(Line l, String t, CharMask m, List<Line> lines, int j) {
        char c0 = t.charAt(0);
        if (product
                && answers != null
                && (mayStartSpecialCase(c0) || PUT_CALL.in(t, m))
                && m.intersects(DIGITS_AND_QUOTES)) {
            answers.consider(path, l, t, m, lines, j);
        }
        // Most lines contain none of the literals any rule of this file looks for: one loop of bit tests decides,
        // and the rules themselves run only for the rest (and for short lines, which may be a constant body).
        boolean shortBody = t.length() <= 20
                && (c0 == 'r'
                        || c0 == 't'
                        || c0 == 'T'
                        || c0 == 'f'
                        || c0 == 'F'
                        || c0 == '{'
                        || ((testCtx || harness) && (c0 == 'p' || c0 == 'e' || c0 == '.')));
        if ((c0 == '#' && rust) || (c0 == '/' && goTest) || containsAny(t, m)) {
            rules(l, t, m, lines, j, c0);
        } else if (shortBody) {
            shortBody(l, t, lines, j);
        }
    }

    /** First characters of the lines {@link HardcodedAnswers} considers: conditions, arms, rows, entry calls. */
    private static boolean mayStartSpecialCase(char c0) {
        return switch (c0) {
            case 'i',
                    'e',
                    '}',
                    'c',
                    'w',
                    '"',
                    '\'',
                    '(',
                    '{',
                    '[',
                    '-',
                    'p',
                    'M',
                    'm',
                    '0',
                    '1',
                    '2',
                    '3',
                    '4',
                    '5',
                    '6',
                    '7',
                    '8',
                    '9' -> true;
            default -> false;
        };
    }

    /**
     * A short line that holds no gate literal can still be the body of a definition above it: a constant
     * {@code return true} under an equality method, or {@code pass} under an assertion method.
     */
    private void shortBody(Line l, String t, List<Line> lines, int j) {
        String c = TestSyntax.compact(t);
        Boolean body = constantBody(c);
        if (body != null) {
            String prev = previousCode(lines, j);
            int kind = prev == null ? 0 : equalityDefinition(prev);
            if ((kind > 0 && body) || (kind < 0 && !body)) {
                out.add(new Finding(IntegrityRule.EQUALS_EVERYTHING, path, l.lineNo(), Severity.HIGH, prev + " " + t));
            }
        }
        if ((testCtx || harness) && isEmptyBody(c)) {
            String prev = previousCode(lines, j);
            if (prev != null
                    && (prev.startsWith("def assert") || prev.startsWith("def fail"))
                    && !prev.contains("__")) {
                out.add(new Finding(
                        IntegrityRule.TEST_REPORT_REWRITTEN, path, l.lineNo(), Severity.HIGH, prev + " " + t));
            }
        }
    }

    private static boolean isEmptyBody(String c) {
        return c.equals("pass")
                || c.equals("return")
                || c.equals("returnNone")
                || c.equals("returnTrue")
                || c.equals("...")
                || c.equals("end")
                || c.equals("true");
    }

    /** Exactly whether {@code t} contains one of the gate literals: a bit test each, {@code contains} on a hit. */
    private boolean containsAny(String t, CharMask m) {
        if (!m.mayContainAny(gateLo, gateHi)) {
            return false;
        }
        for (CharMask.Literal g : gate) {
            if (g.in(t, m)) {
                return true;
            }
        }
        return false;
    }

    private void rules(Line l, String t, CharMask m, List<Line> lines, int j, char c0) {
        if (c0 == '/' && t.startsWith("//") && !(t.startsWith("//go:build") || t.startsWith("// +build"))) {
            if (product) {
                coveragePragma(l, t, m);
            }
            return;
        }
        boolean tests = testCtx || harness;
        if (tests && XIT.in(t, m)) {
            exitZero(l, t, lines, j);
        }
        if ((t.length() <= 20 && (c0 == 'r' || c0 == 't' || c0 == 'T' || c0 == 'f' || c0 == 'F' || c0 == '{'))
                || mayDefineEquality(t, m, c0)) {
            equalsEverything(l, t, m, lines, j);
        }
        reportRewritten(l, t, m, lines, j, tests);
        if (tests || (c0 == '#' && ext.equals("rs"))) {
            testOnly(l, t, m, lines, j);
        }
        if (product) {
            if (readsEnvironment(t, m)) {
                environmentProbe(l, t, m);
            }
            coveragePragma(l, t, m);
        }
    }

    /** The literals that can make some rule fire on a line of this file, by the file's role and language. */
    private List<CharMask.Literal> gateLiterals() {
        List<CharMask.Literal> g = new java.util.ArrayList<>();
        // Equality definitions in this file's language (all forms for languages not listed).
        switch (ext) {
            case "py" -> g.addAll(List.of(EQ_DUNDER, NE_DUNDER));
            case "rs" -> g.addAll(List.of(FN_EQ, FN_NE));
            case "rb" -> g.addAll(List.of(DEF_EQ_MARK, DEF_NE_MARK, DEF_EQL));
            case "go" -> g.add(GO_EQUAL);
            case "js", "jsx", "ts", "tsx", "mjs", "cjs", "java", "kt", "kts", "scala", "groovy" -> {
                g.add(QUALS);
                g.add(SYMMETRIC_MATCH);
            }
            default -> {
                g.addAll(List.of(EQUALITY_MARKERS_Q));
                g.addAll(List.of(EQUALITY_MARKERS));
                g.add(DEF_EQ_MARK);
                g.add(DEF_NE_MARK);
            }
        }
        g.add(ASSERT_DOT);
        g.add(ASSERT_DOT_START);
        boolean tests = testCtx || harness;
        if (tests) {
            g.addAll(List.of(
                    XIT,
                    UNITTEST_PATCH,
                    ASSERTION_PROTO,
                    OVERWRITE,
                    DUNDER_TEST,
                    ANY,
                    ANYTHING,
                    ASSERTION_ERROR,
                    EXPECTATIONS,
                    EXPECTATION_NOT_MET,
                    DEF_ASSERT));
            g.add(python ? EXCEPT : ext.equals("rb") ? RESCUE : CATCH);
            if (!python) {
                g.add(EXPECT);
            }
        }
        if (python && hookFile) {
            g.addAll(List.of(
                    PYTEST_,
                    OUTCOME,
                    LONGREPR,
                    EXCINFO,
                    WASXFAIL,
                    FORCE_RESULT,
                    EXITSTATUS,
                    TESTSFAILED,
                    TESTCASE,
                    TESTRESULT,
                    ADD_FAILURE,
                    ADD_ERROR,
                    WAS_SUCCESSFUL,
                    ITEMS,
                    DESELECTED));
        }
        if (js || !code) {
            g.addAll(List.of(RESULTS_PROCESSOR, NUM_FAIL, FAILURE_MESSAGES));
            if (tests || toolingFile) {
                g.addAll(List.of(STATUS, STATE, SUCCESS, FAILURES, ERRORS, PASS_TRUE, REPORTERS));
            }
        }
        if (jvm && (tests || toolingFile)) {
            g.addAll(List.of(HANDLE_EXEC, EXEC_HANDLER, INVOCATION_SKIP, SET_STATUS, SET_THROWABLE, SET_ENABLED_FALSE));
        }
        if (product) {
            switch (ext) {
                case "py" -> g.addAll(List.of(ENV_LOWER, SYS_DOT));
                case "js", "jsx", "ts", "tsx", "mjs", "cjs" -> g.addAll(List.of(ENV_LOWER, TYPEOF));
                case "go" -> g.addAll(List.of(ENV_LOWER, TESTING, LOOKUP, OS_ARGS));
                case "rs" -> g.addAll(List.of(ENV_LOWER, CFG_TEST));
                case "java", "kt", "kts", "scala", "groovy" -> g.addAll(List.of(ENV_LOWER, JUNIT_NAME));
                case "rb" -> g.addAll(List.of(ENV_LOWER, ENV_UPPER, DEFINED));
                default -> g.addAll(List.of(ENV_ACCESS));
            }
            g.addAll(List.of(
                    PRAGMA,
                    ISTANBUL,
                    C8_IGNORE,
                    V8_IGNORE,
                    COVERAGE,
                    COVER_UPPER,
                    LCOV,
                    NOCOV,
                    CODE_COVERAGE,
                    TARPAULIN));
        }
        return g;
    }

    /** Every runner or CI probe reads the environment, the loaded modules, argv or a runner global. */
    private static boolean readsEnvironment(String t, CharMask m) {
        for (CharMask.Literal access : ENV_ACCESS) {
            if (access.in(t, m)) {
                return true;
            }
        }
        return false;
    }

    private static boolean mayDefineEquality(String t, CharMask m, char c0) {
        if (m.has('q')) {
            for (CharMask.Literal marker : EQUALITY_MARKERS_Q) {
                if (marker.in(t, m)) {
                    return true;
                }
            }
            return false;
        }
        if (c0 == 'd' && (t.startsWith("def =") || t.startsWith("def !"))) {
            return true;
        }
        for (CharMask.Literal marker : EQUALITY_MARKERS) {
            if (marker.in(t, m)) {
                return true;
            }
        }
        return false;
    }

    private void exitZero(Line l, String t, List<Line> lines, int j) {
        String c = TestSyntax.compact(t);
        int hash = c.indexOf('#');
        if (hash > 0 && ext.equals("py")) {
            c = c.substring(0, hash);
        }
        boolean hit = false;
        String matched = null;
        for (String e : EXIT_ZERO) {
            int i = c.indexOf(e);
            if (i >= 0 && !quotedBefore(c, i)) {
                hit = true;
                matched = e;
                break;
            }
        }
        if (!hit) {
            for (String e : EXIT_STATEMENTS) {
                if (c.equals(e) || c.startsWith(e + ";") || c.startsWith(e + "#")) {
                    hit = true;
                    break;
                }
            }
        }
        if (!hit && (c.contains("pytest.exit(") && c.contains("returncode=0"))) {
            hit = true;
        }
        if (!hit && c.contains("at_exit") && c.contains("exit")) {
            hit = c.contains("exit0") || c.contains("exit!") || c.contains("exit(0)") || c.contains("exittrue");
        }
        if (hit && !fixtureProgram()) {
            Severity s = Severity.HIGH;
            if ("os.Exit(0)".equals(matched)) {
                s = goExitSeverity(lines, j);
            }
            out.add(IntegrityScanner.finding(IntegrityRule.EXIT_BEFORE_TESTS, path, l, s));
        }
    }

    private static boolean quotedBefore(String c, int i) {
        for (int k = 0; k < i; k++) {
            char ch = c.charAt(k);
            if (ch == '"' || ch == '\'' || ch == '`') {
                return true;
            }
        }
        return false;
    }

    /** Programs kept as test data (a CLI fixture that exits 0 on purpose) are not the test run itself. */
    private boolean fixtureProgram() {
        String lower = path.toLowerCase(java.util.Locale.ROOT);
        return lower.contains("fixture")
                || lower.contains("testdata/")
                || lower.contains("/data/")
                || lower.contains("/resources/")
                || lower.contains("/samples/")
                || lower.contains("/examples/");
    }

    /**
     * Go's helper-process idiom exits 0 on purpose; in {@code TestMain} or {@code init} an exit 0 means no test
     * result counts.
     */
    private static Severity goExitSeverity(List<Line> lines, int j) {
        for (int k = j - 1; k >= 0 && k >= j - 60; k--) {
            Line p = lines.get(k);
            if (p.kind() == Line.Kind.REMOVED) {
                continue;
            }
            String s = p.strippedText();
            if (s.contains("HelperProcess") || s.contains("HELPER_PROCESS") || s.contains("GO_WANT_")) {
                return Severity.LOW;
            }
            if (s.startsWith("func TestMain") || s.startsWith("func init()")) {
                return Severity.HIGH;
            }
        }
        return Severity.MEDIUM;
    }

    /** +1 for an equality definition, -1 for an inequality definition, 0 otherwise. */
    static int equalityDefinition(String t) {
        if (t.startsWith("return") || t.startsWith("assert") || t.startsWith("if")) {
            return 0;
        }
        if (t.contains("__eq__")) {
            return 1;
        }
        if (t.contains("__ne__")) {
            return -1;
        }
        if (t.startsWith("def ==") || t.startsWith("def eql?") || t.startsWith("def ===") || t.contains("func ==")) {
            return 1;
        }
        if (t.startsWith("def !=") || t.contains("fn ne(")) {
            return -1;
        }
        if (t.contains("fn eq(") || t.contains("symmetricMatch")) {
            return 1;
        }
        int i = t.indexOf("quals");
        if (i > 0) {
            char e = t.charAt(i - 1);
            if (e != 'e' && e != 'E') {
                return 0;
            }
            int start = i - 1;
            boolean defPosition = start == 0 || t.charAt(start - 1) == ' ';
            int after = i + 5;
            if (defPosition && after < t.length()) {
                char a = t.charAt(after);
                if (a == '(' || a == ':' || a == ' ' || a == '=') {
                    return 1;
                }
            }
            return 0;
        }
        if (t.startsWith("func ") && (t.contains(") Equal(") || t.contains(") Equals("))) {
            return 1;
        }
        return 0;
    }

    /** TRUE/FALSE for a body that is only a constant boolean, else null. */
    private static Boolean constantBody(String c) {
        return switch (c) {
            case "returnTrue",
                    "returntrue",
                    "returntrue;",
                    "true",
                    "True",
                    "returnTrue#",
                    "{returntrue;}",
                    "returntrue}",
                    "returntrue;}" -> Boolean.TRUE;
            case "returnFalse",
                    "returnfalse",
                    "returnfalse;",
                    "false",
                    "False",
                    "{returnfalse;}",
                    "returnfalse}",
                    "returnfalse;}" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** TRUE/FALSE when a one-line definition ends by returning a constant boolean, else null. */
    static Boolean inlineConstant(String c) {
        int e = c.length();
        while (e > 0 && ";}),".indexOf(c.charAt(e - 1)) >= 0) {
            e--;
        }
        String body = c.substring(0, e);
        if (endsWithConstant(body, "true") || body.endsWith("True") && endsWithConstant(body, "True")) {
            return Boolean.TRUE;
        }
        if (endsWithConstant(body, "false") || body.endsWith("False") && endsWithConstant(body, "False")) {
            return Boolean.FALSE;
        }
        return null;
    }

    /** {@code return true}, {@code => true}, {@code : True}, {@code = true}, {@code { true} — never {@code == true}. */
    private static boolean endsWithConstant(String body, String word) {
        if (!body.endsWith(word)) {
            return false;
        }
        String head = body.substring(0, body.length() - word.length());
        if (head.endsWith("return") || head.endsWith("=>") || head.endsWith("{") || head.endsWith(":")) {
            return true;
        }
        return head.endsWith("=") && !head.endsWith("==") && !head.endsWith("!=");
    }

    private void equalsEverything(Line l, String t, CharMask m, List<Line> lines, int j) {
        char c0 = t.charAt(0);
        if (t.length() <= 20 && (c0 == 'r' || c0 == 't' || c0 == 'T' || c0 == 'f' || c0 == 'F' || c0 == '{')) {
            Boolean body = constantBody(TestSyntax.compact(t));
            if (body != null) {
                String prev = previousCode(lines, j);
                int kind = prev == null ? 0 : equalityDefinition(prev);
                if ((kind > 0 && body) || (kind < 0 && !body)) {
                    out.add(new Finding(
                            IntegrityRule.EQUALS_EVERYTHING, path, l.lineNo(), Severity.HIGH, prev + " " + t));
                }
                return;
            }
        }
        int kind = equalityDefinition(t);
        if (kind != 0) {
            String c = TestSyntax.compact(t);
            Boolean inline = inlineConstant(c);
            if (inline != null
                    && ((kind > 0 && inline) || (kind < 0 && !inline))
                    && (c.indexOf(')') > 0 || c.contains("lambda"))) {
                out.add(IntegrityScanner.finding(IntegrityRule.EQUALS_EVERYTHING, path, l, Severity.HIGH));
                return;
            }
            if (kind > 0 && RETURN_VALUE_TRUE.in(t, m) && c.contains("return_value=True")) {
                out.add(IntegrityScanner.finding(IntegrityRule.EQUALS_EVERYTHING, path, l, Severity.HIGH));
            }
        }
    }

    /** The trimmed text of the nearest non-blank line before {@code j} on the new side, within three lines. */
    static String previousCode(List<Line> lines, int j) {
        for (int k = j - 1, seen = 0; k >= 0 && seen < 4; k--) {
            Line p = lines.get(k);
            if (p.kind() == Line.Kind.REMOVED) {
                continue;
            }
            seen++;
            String s = p.strippedText();
            if (!s.isEmpty()) {
                return s;
            }
        }
        return null;
    }

    private void reportRewritten(Line l, String t, CharMask m, List<Line> lines, int j, boolean tests) {
        boolean scope = tests || toolingFile;
        Severity s = null;
        if (python && (hookFile || (scope && UNITTEST_PATCH.in(t, m)))) {
            s = pytestAndUnittest(t, m, lines, j, tests);
        }
        if (s == null && (js || !code)) {
            s = jsReporters(t, m, tests, scope);
        }
        if (s == null && scope && jvm) {
            s = jvmListeners(t, m, lines, j, tests);
        }
        if (s == null && tests && (CATCH.in(t, m) || EXCEPT.in(t, m) || RESCUE.in(t, m))) {
            s = swallowedFailure(t, m, lines, j);
        }
        if (s == null && m.has('=') && (ASSERT_DOT.in(t, m) || t.startsWith("assert."))) {
            s = patchedAssertion(t);
        }
        if (s != null) {
            out.add(IntegrityScanner.finding(IntegrityRule.TEST_REPORT_REWRITTEN, path, l, s));
        }
    }

    private Severity pytestAndUnittest(String t, CharMask m, List<Line> lines, int j, boolean tests) {
        if (PYTEST_.in(t, m)) {
            if (t.startsWith("def pytest_") || t.startsWith("async def pytest_")) {
                if (t.contains("pytest_runtest_call")
                        || t.contains("pytest_pyfunc_call")
                        || t.contains("pytest_runtest_protocol")) {
                    return Severity.MEDIUM;
                }
                if (t.contains("pytest_runtest_makereport")
                        || t.contains("pytest_report_teststatus")
                        || t.contains("pytest_runtest_logreport")
                        || t.contains("pytest_sessionfinish")
                        || t.contains("pytest_terminal_summary")) {
                    return Severity.LOW;
                }
            }
        }
        if (OUTCOME.in(t, m)) {
            String c = TestSyntax.compact(t);
            if (c.contains(".outcome=\"p")
                    || c.contains(".outcome='p")
                    || c.contains(".outcome=\"s")
                    || c.contains(".outcome='s")
                    || c.contains("\"outcome\",\"")
                    || c.contains("'outcome','")
                    || c.contains("TestReport.outcome")) {
                return Severity.HIGH;
            }
        }
        if ((LONGREPR.in(t, m) || EXCINFO.in(t, m) || WASXFAIL.in(t, m)) && !t.contains("==")) {
            String c = TestSyntax.compact(t);
            if (c.contains(".longrepr=None")
                    || c.contains(".excinfo=None")
                    || c.contains(".wasxfail=")
                    || c.contains("longrepr=\"\"")) {
                return Severity.HIGH;
            }
        }
        if (FORCE_RESULT.in(t, m)) {
            return Severity.HIGH;
        }
        if ((EXITSTATUS.in(t, m) || TESTSFAILED.in(t, m)) && !t.contains("==")) {
            String c = TestSyntax.compact(t);
            if (c.contains(".exitstatus=0")
                    || c.contains(".exitstatus=pytest.ExitCode.OK")
                    || c.contains(".exitstatus=ExitCode.OK")
                    || c.contains(".testsfailed=0")) {
                return Severity.HIGH;
            }
        }
        if ((TESTCASE.in(t, m) || TESTRESULT.in(t, m)) && !t.contains("==")) {
            String c = TestSyntax.compact(t);
            if (c.contains("TestCase.run=")
                    || c.contains("TestCase.__call__=")
                    || c.contains("setattr(unittest.TestCase")
                    || c.contains("setattr(TestCase")
                    || c.contains("setattr(unittest.TestResult")
                    || c.contains("setattr(TestResult")
                    || c.contains("setattr(unittest.TextTestResult")
                    || (c.contains("TestResult.") && c.contains("=") && c.indexOf('=') > c.indexOf("TestResult."))) {
                return Severity.HIGH;
            }
        }
        if ((ADD_FAILURE.in(t, m) || ADD_ERROR.in(t, m) || WAS_SUCCESSFUL.in(t, m)) && !t.contains("==")) {
            String c = TestSyntax.compact(t);
            if (c.contains(".addFailure=") || c.contains(".addError=") || c.contains(".wasSuccessful=")) {
                return Severity.HIGH;
            }
        }
        if ((tests || collectionPlugin) && (ITEMS.in(t, m) || DESELECTED.in(t, m))) {
            String c = TestSyntax.compact(t);
            if (c.startsWith("items[:]=")
                    || c.startsWith("items.clear()")
                    || c.startsWith("delitems[")
                    || c.startsWith("items.remove(")
                    || c.startsWith("items.pop(")
                    || c.contains("pytest_deselected(")) {
                return Severity.HIGH;
            }
        }
        return null;
    }

    private Severity jsReporters(String t, CharMask m, boolean tests, boolean scope) {
        boolean reporterFile = tests || this.reporterFile;
        if (RESULTS_PROCESSOR.in(t, m)) {
            return Severity.HIGH;
        }
        if (NUM_FAIL.in(t, m) || FAILURE_MESSAGES.in(t, m)) {
            String c = TestSyntax.compact(t);
            if (c.contains("numFailedTests=0")
                    || c.contains("numFailedTests:0")
                    || c.contains("numFailedTestSuites=0")
                    || c.contains("numFailedTestSuites:0")
                    || c.contains("numFailingTests=0")
                    || c.contains("numFailingTests:0")
                    || c.contains("failureMessages=[]")
                    || c.contains("failureMessages:[]")
                    || c.contains("failureMessages.length=0")) {
                return Severity.HIGH;
            }
        }
        if (reporterFile
                && (STATUS.in(t, m) || STATE.in(t, m) || SUCCESS.in(t, m) || FAILURES.in(t, m) || ERRORS.in(t, m))) {
            String c = TestSyntax.compact(t);
            if (c.contains(".status=\"passed\"")
                    || c.contains(".status='passed'")
                    || c.contains("status:\"passed\"")
                    || c.contains("status:'passed'")
                    || c.contains(".state=\"pass")
                    || c.contains(".state='pass")
                    || c.contains("state:'pass")
                    || c.contains("state:\"pass")
                    || c.contains("result.errors=[]")
                    || (c.contains(".success=true") && (c.contains("esult") || c.contains("stats")))
                    || (c.contains(".failures=0") && (c.contains("runner") || c.contains("stats")))) {
                return Severity.HIGH;
            }
        }
        if (!scope) {
            return null;
        }
        if (tests && PASS_TRUE.in(t, m)) {
            String c = TestSyntax.compact(t);
            if (c.contains("pass:true") && !c.contains("pass:false")) {
                return Severity.HIGH;
            }
        }
        if (REPORTERS.in(t, m) && (t.contains("reporters") || t.contains("--reporter"))) {
            String c = TestSyntax.compact(t);
            if (c.contains("'./") || c.contains("\"./") || c.contains("<rootDir>")) {
                return Severity.MEDIUM;
            }
        }
        return null;
    }

    private Severity jvmListeners(String t, CharMask m, List<Line> lines, int j, boolean tests) {
        if (HANDLE_EXEC.in(t, m) && !t.contains(".handleTestExecutionException")) {
            return rethrowsWithin(lines, j, 10) ? Severity.LOW : Severity.HIGH;
        }
        if (EXEC_HANDLER.in(t, m)) {
            return Severity.MEDIUM;
        }
        if (INVOCATION_SKIP.in(t, m)) {
            return Severity.HIGH;
        }
        if (SET_STATUS.in(t, m)
                && (t.contains("setStatus(ITestResult.SUCCESS")
                        || t.contains("setStatus(ITestResult.SKIP")
                        || t.contains("setStatus(TestResult.SUCCESS"))) {
            return Severity.HIGH;
        }
        if (SET_THROWABLE.in(t, m)) {
            return Severity.HIGH;
        }
        if (tests && SET_ENABLED_FALSE.in(t, m)) {
            return Severity.HIGH;
        }
        return null;
    }

    private Severity swallowedFailure(String t, CharMask m, List<Line> lines, int j) {
        String c = TestSyntax.compact(t);
        int brace = c.indexOf('}');
        if (brace == 0) {
            c = c.substring(1);
        }
        if (!(c.startsWith("catch") || c.startsWith("except") || c.startsWith("rescue"))) {
            return null;
        }
        if (ASSERTION_ERROR.in(t, m) || EXPECTATION_NOT_MET.in(t, m) || c.contains("Failed") || c.contains("failure")) {
            for (String s : SWALLOWED_ASSERTION_TYPES) {
                if (c.startsWith(s)) {
                    return rethrowsWithin(lines, j, 4) ? null : Severity.HIGH;
                }
            }
        }
        for (String g : GENERIC_CATCHES) {
            if (c.startsWith(g)) {
                if (rethrowsWithin(lines, j, 4)) {
                    return null;
                }
                return assertionInTryBefore(lines, j) ? Severity.HIGH : null;
            }
        }
        return null;
    }

    /**
     * Whether the handler that starts on line {@code j} rethrows, fails or asserts: its own line after the
     * clause, then following new-side lines until the handler ends (a closing brace, or a line indented no
     * deeper than the clause), at most {@code n} lines.
     */
    private static boolean rethrowsWithin(List<Line> lines, int j, int n) {
        String first = lines.get(j).strippedText();
        int open = first.indexOf('{');
        if (open < 0) {
            open = first.lastIndexOf(':');
        }
        if (open >= 0 && rethrows(first.substring(open + 1))) {
            return true;
        }
        if (open >= 0 && first.indexOf('}', open) > 0) {
            return false; // a one-line handler: catch (AssertionError e) {}
        }
        int indent = indent(lines.get(j).text());
        for (int k = j + 1, seen = 0; k < lines.size() && seen < n; k++) {
            Line p = lines.get(k);
            if (p.kind() == Line.Kind.REMOVED) {
                continue;
            }
            String text = p.text();
            String s = text.strip();
            if (s.isEmpty()) {
                continue;
            }
            seen++;
            if (s.startsWith("}") || indent(text) <= indent) {
                return false;
            }
            if (rethrows(s)) {
                return true;
            }
        }
        return false;
    }

    private static boolean rethrows(String s) {
        return s.contains("throw")
                || s.startsWith("raise")
                || s.contains(" raise")
                || s.contains("fail(")
                || s.contains("Fail(")
                || s.startsWith("assert")
                || s.contains(".assert")
                || s.startsWith("Assert")
                || s.contains("expect(");
    }

    private static int indent(String text) {
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Whether an assertion sits between the nearest preceding {@code try} and line {@code j} (within 12 lines). */
    private static boolean assertionInTryBefore(List<Line> lines, int j) {
        boolean assertion = false;
        for (int k = j - 1, seen = 0; k >= 0 && seen < 12; k--) {
            Line p = lines.get(k);
            if (p.kind() == Line.Kind.REMOVED) {
                continue;
            }
            seen++;
            String s = p.strippedText();
            if (s.startsWith("try") && (s.length() == 3 || !Character.isLetterOrDigit(s.charAt(3)))) {
                return assertion;
            }
            if (TestSyntax.isAssertion(s)) {
                assertion = true;
            }
        }
        return false;
    }

    /** Assignment over an assertion method: {@code self.assertEqual = ...}, {@code assert.equal = ...}. */
    private static Severity patchedAssertion(String t) {
        String c = TestSyntax.compact(t);
        int from = 0;
        while (true) {
            int i = c.indexOf("assert", from);
            if (i < 0) {
                return null;
            }
            from = i + 6;
            boolean attribute = i > 0 && c.charAt(i - 1) == '.';
            int k = i + 6;
            boolean dotted = false;
            while (k < c.length()) {
                char ch = c.charAt(k);
                if (ch == '.') {
                    dotted = true;
                } else if (!Character.isLetterOrDigit(ch) && ch != '_') {
                    break;
                }
                k++;
            }
            if ((attribute || (dotted && i == 0))
                    && k < c.length()
                    && c.charAt(k) == '='
                    && (k + 1 >= c.length() || c.charAt(k + 1) != '=')) {
                return Severity.HIGH;
            }
            if (k < c.length() && c.charAt(k) == '=' && c.startsWith("Assertion.prototype", Math.max(0, i - 19))) {
                return Severity.HIGH;
            }
        }
    }

    private void testOnly(Line l, String t, CharMask m, List<Line> lines, int j) {
        if (ASSERTION_PROTO.in(t, m) || EXPECT.in(t, m) || OVERWRITE.in(t, m)) {
            String c = TestSyntax.compact(t);
            if ((c.contains("Assertion.prototype.") && c.contains("=") && !c.contains("=="))
                    || c.contains("Assertion.overwrite")
                    || c.contains(".overwriteMethod(")
                    || c.contains(".overwriteProperty(")
                    || c.startsWith("expect=")
                    || c.startsWith("global.expect=")
                    || c.startsWith("globalThis.expect=")
                    || c.startsWith("window.expect=")) {
                out.add(IntegrityScanner.finding(IntegrityRule.TEST_REPORT_REWRITTEN, path, l, Severity.HIGH));
            }
        }
        // An assertion method overridden with an empty body: def assertEqual(self, *a): pass
        char c0 = t.charAt(0);
        if (t.length() <= 16 && (c0 == 'p' || c0 == 'r' || c0 == 'e' || c0 == '.' || c0 == 't')) {
            String c = TestSyntax.compact(t);
            if (c.equals("pass")
                    || c.equals("return")
                    || c.equals("returnNone")
                    || c.equals("returnTrue")
                    || c.equals("...")
                    || c.equals("end")
                    || c.equals("true")) {
                String prev = previousCode(lines, j);
                if (prev != null
                        && (prev.startsWith("def assert") || prev.startsWith("def fail"))
                        && !prev.contains("__")) {
                    out.add(new Finding(
                            IntegrityRule.TEST_REPORT_REWRITTEN, path, l.lineNo(), Severity.HIGH, prev + " " + t));
                }
            }
        }
        if (t.startsWith("def assert") && t.endsWith(": pass")) {
            out.add(IntegrityScanner.finding(IntegrityRule.TEST_REPORT_REWRITTEN, path, l, Severity.HIGH));
        }
        if (ASSERTION_ERROR.in(t, m) || EXPECTATIONS.in(t, m)) {
            String c = TestSyntax.compact(t);
            for (String e : EXPECTED_ASSERTION_FAILURE) {
                if (c.contains(e)) {
                    Severity s = e.startsWith("expected") ? Severity.HIGH : Severity.MEDIUM;
                    out.add(IntegrityScanner.finding(IntegrityRule.TEST_REPORT_REWRITTEN, path, l, s));
                    break;
                }
            }
        }
        if (c0 == '#' && SHOULD_PANIC.in(t, m) && j + 1 < lines.size()) {
            Line next = lines.get(j + 1);
            if (next.kind() == Line.Kind.CONTEXT) {
                out.add(IntegrityScanner.finding(IntegrityRule.TEST_REPORT_REWRITTEN, path, l, Severity.HIGH));
            }
        }
        if (DUNDER_TEST.in(t, m) && TestSyntax.compact(t).contains("__test__=False")) {
            out.add(IntegrityScanner.finding(IntegrityRule.TEST_SKIPPED, path, l, Severity.HIGH));
        }
        if (existingFile
                && ext.equals("go")
                && GO_BUILD.in(t, m)
                && (t.startsWith("//go:build") || t.startsWith("// +build"))) {
            out.add(IntegrityScanner.finding(IntegrityRule.TEST_SKIPPED, path, l, Severity.HIGH));
        }
        if (c0 == '#' && CFG.in(t, m)) {
            String c = TestSyntax.compact(t);
            if (c.startsWith("#[cfg(any())]") || c.startsWith("#[cfg(FALSE)]") || c.startsWith("#[cfg(false)]")) {
                out.add(IntegrityScanner.finding(IntegrityRule.TEST_SKIPPED, path, l, Severity.HIGH));
            }
        }
        if (ANY.in(t, m) || ANYTHING.in(t, m)) {
            String c = TestSyntax.compact(t);
            if (c.endsWith("==ANY")
                    || c.endsWith("==mock.ANY")
                    || c.contains(",mock.ANY)") && (c.startsWith("self.assertEqual(") || c.startsWith("assertEqual("))
                    || c.contains(",ANY)") && (c.startsWith("self.assertEqual(") || c.startsWith("assertEqual("))
                    || c.contains(").toEqual(expect.anything())")
                    || c.contains(").toBe(expect.anything())")
                    || c.contains(").toStrictEqual(expect.anything())")) {
                out.add(IntegrityScanner.finding(IntegrityRule.EQUALS_EVERYTHING, path, l, Severity.MEDIUM));
            }
        }
    }

    private void environmentProbe(Line l, String t, CharMask m) {
        char c0 = t.charAt(0);
        if (c0 == '#' || c0 == '*' || c0 == '/') {
            return;
        }
        Severity s = null;
        // Probes without capitals first; the many upper-case names only on lines that have a capital letter.
        if (CFG_TEST.in(t, m) || JUNIT_NAME.in(t, m) || TYPEOF.in(t, m) || UNDERSCORE_PYTEST.in(t, m)) {
            s = TYPEOF.in(t, m)
                            && !(t.contains("typeof jest") || t.contains("typeof describe") || t.contains("typeof it "))
                    ? null
                    : Severity.HIGH;
        }
        if (s == null && (SYS_MODULES.in(t, m) || SYS_ARGV.in(t, m))) {
            if (t.contains("pytest") || t.contains("unittest") || t.contains("nose")) {
                s = Severity.HIGH;
            }
        }
        if (s == null && RAILS_TEST.in(t, m)) {
            s = Severity.MEDIUM;
        }
        if (s == null && m.intersects(CAPITALS)) {
            s = upperCaseProbe(t, m);
        }
        if (s != null) {
            if (configLike && s != Severity.LOW) {
                s = Severity.LOW;
            }
            out.add(IntegrityScanner.finding(IntegrityRule.TEST_ENVIRONMENT_DETECTED, path, l, s));
        }
    }

    private static Severity upperCaseProbe(String t, CharMask m) {
        for (CharMask.Literal probe : RUNNER_PROBES) {
            if (probe.in(t, m)) {
                return Severity.HIGH;
            }
        }
        if (OS_ARGS.in(t, m) && t.contains(".test")) {
            return Severity.HIGH;
        }
        for (CharMask.Literal env : ENV_NAMES) {
            if (env.in(t, m)) {
                if (t.contains("test") || t.contains("TEST")) {
                    return t.contains("!=") ? Severity.LOW : Severity.MEDIUM;
                }
                return null;
            }
        }
        boolean ci = CI_DQ.in(t, m) || CI_SQ.in(t, m) || CI_DOT.in(t, m);
        if (!ci) {
            for (CharMask.Literal name : CI_NAMES) {
                if (name.in(t, m)) {
                    ci = true;
                    break;
                }
            }
        }
        if (ci && (t.contains("env") || t.contains("ENV") || t.contains("Env"))) {
            return Severity.MEDIUM;
        }
        return null;
    }

    void coveragePragma(Line l, String t, CharMask m) {
        if (!(COVER.in(t, m)
                || COVER_UPPER.in(t, m)
                || IGNORE.in(t, m)
                || LCOV.in(t, m)
                || NOCOV.in(t, m)
                || CODE_COVERAGE.in(t, m)
                || TARPAULIN.in(t, m))) {
            return;
        }
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        boolean hit = lower.contains("pragma: no cover")
                || lower.contains("pragma:no cover")
                || lower.contains("pragma: nocover")
                || lower.contains("istanbul ignore")
                || lower.contains("c8 ignore")
                || lower.contains("v8 ignore")
                || lower.contains("coverage:ignore")
                || lower.contains("coverage: ignore")
                || lower.contains("coverage-ignore")
                || lower.contains("lcov_excl")
                || lower.contains(":nocov:")
                || lower.contains("#[coverage(off)]")
                || lower.contains("tarpaulin::skip")
                || lower.contains("tarpaulin_include")
                || lower.contains("codecoverageignore")
                || lower.contains("excludefromcodecoverage")
                || lower.contains("codecov:ignore");
        if (!hit) {
            return;
        }
        boolean conventional = t.contains("__name__")
                || t.contains("TYPE_CHECKING")
                || t.contains("NotImplementedError")
                || t.contains("abstractmethod")
                || t.contains("@overload")
                || t.contains("__repr__");
        out.add(IntegrityScanner.finding(
                IntegrityRule.COVERAGE_WEAKENED, path, l, conventional ? Severity.LOW : Severity.MEDIUM));
    }
}
