package dev.loopline.core.guard.integrity;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Line predicates over trimmed source text of test code across frameworks. Plain {@code startsWith}
 * and {@code contains} checks, no regular expressions: the scanner runs on every diff line.
 */
final class TestSyntax {

    private static final String[] TEST_ANNOTATIONS = {
        "@Test", "@org.junit.Test", "@org.junit.jupiter.api.Test", "@ParameterizedTest", "@RepeatedTest",
        "@TestFactory", "@TestTemplate", "@Property", "@Example", "@org.testng.annotations.Test"
    };
    private static final String[] JS_TEST_CALLS = {
        "it(",
        "test(",
        "describe(",
        "context(",
        "suite(",
        "specify(",
        "it.each",
        "test.each",
        "describe.each",
        "it \"",
        "it '",
        "describe \"",
        "describe '",
        "scenario(",
        "feature(",
        "should(",
        "given("
    };
    private static final String[] SKIPPED_CALLS = {
        "it.skip(",
        "describe.skip(",
        "test.skip(",
        "context.skip(",
        "suite.skip(",
        "it.todo(",
        "test.todo(",
        "xit(",
        "xdescribe(",
        "xtest(",
        "xcontext(",
        "xspecify(",
        "xshould(",
        "xscenario(",
        "xfeature(",
        "xgiven(",
        "xwhen(",
        "xthen(",
        "xexpect(",
        "this.skip()",
        "xit \"",
        "xit '",
        "skip \"",
        "pending(",
        "pending \""
    };
    private static final String[] FOCUSED_CALLS = {
        "it.only(", "describe.only(", "test.only(", "context.only(", "suite.only(", "fit(", "fdescribe(", "fcontext("
    };
    private static final String[] ASSERTION_PREFIXES = {
        "assert",
        "Assert.",
        "Assertions.",
        "self.assert",
        "self.fail",
        "expect(",
        "expect.",
        "await expect(",
        "verify(",
        "then(",
        "fail(",
        "require.",
        "t.Error",
        "t.Fatal",
        "t.Fail",
        "XCTAssert",
        "pytest.raises",
        "with pytest.raises",
        "with self.assertRaises",
        "softly.",
        "Truth.assertThat",
        "MatcherAssert."
    };
    private static final String[] CHAIN_PREFIXES = {
        ".is",
        ".has",
        ".contains",
        ".doesNot",
        ".matches",
        ".startsWith",
        ".endsWith",
        ".satisfies",
        ".extracting",
        ".allMatch",
        ".anyMatch",
        ".noneMatch",
        ".toBe",
        ".toEqual",
        ".toStrictEqual",
        ".toHave",
        ".toContain",
        ".toMatch",
        ".toThrow",
        ".to.",
        ".not.",
        ".should",
        ".isInstanceOf",
        ".hasMessage",
        ".containsExactly"
    };
    private static final String[] STRONG_TOKENS = {
        "isEqualTo",
        "assertEquals",
        "assertArrayEquals",
        "assertSame",
        "assertIterableEquals",
        "assertLinesMatch",
        "toBe(",
        "toEqual(",
        "toStrictEqual(",
        "toHaveLength(",
        "toMatchObject(",
        "toContainEqual(",
        "toThrow(",
        "toHaveBeenCalledWith(",
        "toMatchSnapshot(",
        "containsExactly",
        "hasSize",
        "isSameAs",
        "assert_eq!",
        "assert_ne!",
        "==",
        "!=",
        "<=",
        ">=",
        "assertThrows",
        "isInstanceOf",
        "hasMessage",
        "assertRaises",
        "pytest.raises",
        "shouldBe",
        "shouldThrow",
        "equalTo(",
        "is(",
        "assertIs",
        "assertIn",
        "assertDictEqual",
        "assertListEqual",
        "assertCountEqual",
        "assertAlmostEqual",
        "assertGreater",
        "assertLess",
        " in ",
        "isBetween",
        "isGreaterThan",
        "isLessThan",
        "isCloseTo",
        "matches(",
        "contains(",
        "containsOnly",
        "hasValue",
        "isFalse",
        ".to.equal",
        ".to.deep",
        "assert.Equal",
        "require.Equal",
        "t.Errorf",
        "t.Fatalf",
        "isZero",
        "isNull(",
        "assertNull",
        "assertFalse"
    };
    private static final String[] TRIVIAL_ASSERTIONS = {
        "asserttrue(true)",
        "assertfalse(false)",
        "assertthat(true).istrue()",
        "assertthat(false).isfalse()",
        "expect(true).tobe(true)",
        "expect(true).tobetruthy()",
        "expect(false).tobe(false)",
        "expect(true).toequal(true)",
        "asserttrue",
        "assert!(true)",
        "self.asserttrue(true)",
        "self.assertfalse(false)",
        "assert.true(true)",
        "assert.ok(true)",
        "asserttrue(1==1)",
        "assertnotnull(\"\")",
        "assertequals(true,true)"
    };

    private static final PrefixTable JS_TEST_CALL_TABLE = new PrefixTable(JS_TEST_CALLS);
    private static final PrefixTable SKIPPED_CALL_TABLE = new PrefixTable(SKIPPED_CALLS);
    private static final PrefixTable FOCUSED_CALL_TABLE = new PrefixTable(FOCUSED_CALLS);
    private static final PrefixTable ASSERTION_PREFIX_TABLE = new PrefixTable(ASSERTION_PREFIXES);

    /** Every exact form of a trivial assertion, with the optional {@code assertions.}/{@code assert.} owner. */
    private static final Set<String> TRIVIAL_FORMS = trivialForms();

    /**
     * The shortest and the longest trivial-assertion form that starts with 's' ({@code self.assertTrue(True)}),
     * the longest with room for the ';' that {@link #isTrivialAssertion} drops.
     */
    private static final int MIN_S_FORM = sFormLength(true);

    private static final int MAX_S_FORM = sFormLength(false) + 1;

    private static final CharMask.Literal JUNIT_IGNORE = new CharMask.Literal("junit.Ignore");
    private static final CharMask.Literal API_DISABLED = new CharMask.Literal("api.Disabled");
    private static final CharMask.Literal ENABLED_EQ_FALSE = new CharMask.Literal("enabled=false");
    private static final CharMask.Literal ENABLED_COLON_FALSE = new CharMask.Literal("enabled:false");
    private static final CharMask.Literal PYTEST_SKIP = new CharMask.Literal("pytest.mark.skip");
    private static final CharMask.Literal PYTEST_XFAIL = new CharMask.Literal("pytest.mark.xfail");
    private static final CharMask.Literal UNITTEST_SKIP = new CharMask.Literal("unittest.skip");
    private static final CharMask.Literal UNITTEST_XFAIL = new CharMask.Literal("unittest.expectedFailure");
    private static final CharMask.Literal SKIP_EQ_QUOTE = new CharMask.Literal("Skip=\"");

    private TestSyntax() {}

    private static Set<String> trivialForms() {
        Set<String> forms = new HashSet<>();
        for (String trivial : TRIVIAL_ASSERTIONS) {
            forms.add(trivial);
            forms.add("assertions." + trivial);
            forms.add("assert." + trivial);
        }
        forms.addAll(List.of("asserttrue", "assert1==1", "assert1", "assertnotfalse"));
        return Set.copyOf(forms);
    }

    private static int sFormLength(boolean shortest) {
        int best = shortest ? Integer.MAX_VALUE : 0;
        for (String form : TRIVIAL_FORMS) {
            if (form.charAt(0) == 's') {
                best = shortest ? Math.min(best, form.length()) : Math.max(best, form.length());
            }
        }
        return best;
    }

    static boolean isTestDeclaration(String t, String ext) {
        if (t.isEmpty()) {
            return false;
        }
        char c = t.charAt(0);
        if (c == '@') {
            for (String a : TEST_ANNOTATIONS) {
                if (startsWithToken(t, a)) {
                    return true;
                }
            }
            return false;
        }
        if (c == '#') {
            return t.startsWith("#[test]")
                    || t.startsWith("#[tokio::test")
                    || t.startsWith("#[rstest")
                    || t.startsWith("#[test_case")
                    || t.startsWith("#[async_std::test");
        }
        if (c == '[') {
            return t.startsWith("[Test]")
                    || t.startsWith("[Fact")
                    || t.startsWith("[Theory")
                    || t.startsWith("[TestMethod")
                    || t.startsWith("[TestCase");
        }
        if (t.startsWith("def test") || t.startsWith("async def test")) {
            return true;
        }
        if (t.startsWith("class Test") && t.length() > 10) {
            char n = t.charAt(10);
            return Character.isUpperCase(n) || n == '(' || n == ':' || n == '_';
        }
        if (t.startsWith("func Test") || t.startsWith("func Fuzz")) {
            return t.contains("*testing.");
        }
        if (containsJUnit3Method(t)) {
            return true;
        }
        if (ext.equals("java") || ext.equals("go") || ext.equals("py") || ext.equals("rs")) {
            return false;
        }
        return JS_TEST_CALL_TABLE.anyPrefixOf(t);
    }

    private static boolean containsJUnit3Method(String t) {
        int i = t.indexOf("void test");
        if (i < 0 || i + 9 >= t.length()) {
            return false;
        }
        char n = t.charAt(i + 9);
        return (Character.isUpperCase(n) || n == '_') && t.indexOf('(', i) > 0;
    }

    /** Returns HIGH, MEDIUM or null for an added line that disables tests. */
    static Severity skipMarker(LineText line, String ext) {
        String t = line.t;
        CharMask m = line.mask;
        if (t.isEmpty()) {
            return null;
        }
        // Each check is guarded by a necessary condition on the line's characters; the order is the rule order.
        boolean at = m.has('@');
        if ((at && (containsToken(t, "@Disabled") || containsToken(t, "@Ignore")))
                || JUNIT_IGNORE.in(t, m)
                || API_DISABLED.in(t, m)) {
            return Severity.HIGH;
        }
        if (at && (t.contains("@Disabled") || t.contains("@EnabledIf") || t.contains("@EnabledOn"))) {
            return Severity.MEDIUM;
        }
        if (inCompact(line, ENABLED_EQ_FALSE) || inCompact(line, ENABLED_COLON_FALSE)) {
            return Severity.HIGH;
        }
        if (PYTEST_SKIP.in(t, m) || PYTEST_XFAIL.in(t, m) || UNITTEST_SKIP.in(t, m) || UNITTEST_XFAIL.in(t, m)) {
            return Severity.HIGH;
        }
        if (t.charAt(0) == '@'
                && (startsWithToken(t, "@skip")
                        || startsWithToken(t, "@skipIf")
                        || startsWithToken(t, "@skipUnless")
                        || startsWithToken(t, "@expectedFailure"))) {
            return Severity.HIGH;
        }
        if (ext.equals("go") && (t.contains(".Skip(") || t.contains(".Skipf(") || t.contains(".SkipNow("))) {
            return Severity.HIGH;
        }
        if (t.startsWith("#[ignore") || t.startsWith("[Ignore") || inCompact(line, SKIP_EQ_QUOTE)) {
            return Severity.HIGH;
        }
        if (SKIPPED_CALL_TABLE.anyPrefixOf(t)) {
            return Severity.HIGH;
        }
        if ((ext.equals("kt") || ext.equals("kts")) && t.contains("(\"!")) {
            return Severity.MEDIUM; // Kotest: a '!'-prefixed test name disables the test
        }
        return null;
    }

    /** Whether the whitespace-free form of the line contains {@code literal}, computing it only if it can. */
    private static boolean inCompact(LineText line, CharMask.Literal literal) {
        return line.mask.mayContain(literal) && line.compact().contains(literal.text());
    }

    static boolean isFocusMarker(String t) {
        return FOCUSED_CALL_TABLE.anyPrefixOf(t);
    }

    static boolean isAssertion(String t) {
        if (t.isEmpty()) {
            return false;
        }
        char c = t.charAt(0);
        if (c == '.') {
            for (String p : CHAIN_PREFIXES) {
                if (t.startsWith(p)) {
                    if (p.endsWith(".") || t.length() == p.length()) {
                        return true;
                    }
                    char n = t.charAt(p.length());
                    if (Character.isUpperCase(n) || n == '(') {
                        return true;
                    }
                }
            }
            return false;
        }
        if (c == '/' || c == '#' || c == '*') {
            return false;
        }
        if (ASSERTION_PREFIX_TABLE.anyPrefixOf(t)) {
            return true;
        }
        if (t.contains("should")
                && (t.contains(" shouldBe ")
                        || t.contains(" shouldNotBe ")
                        || t.contains(".should(")
                        || t.contains(".should."))) {
            return true;
        }
        if (t.contains("assert")
                && (t.contains("assert_eq!(")
                        || t.contains("assert_ne!(")
                        || t.contains("assert!(")
                        || t.contains("assertThat("))) {
            return true;
        }
        return t.contains("expect(") && (t.contains(").to") || t.contains(").not"));
    }

    static boolean isStrongAssertion(String t) {
        for (String tok : STRONG_TOKENS) {
            if (t.contains(tok)) {
                return true;
            }
        }
        return false;
    }

    /**
     * An exact necessary condition for {@link #isTrivialAssertion} of the line's lower-cased whitespace-free
     * form, without building it: every form starts with {@code assert}, {@code expect} or {@code self.}, and the
     * few {@code self.} forms fix the length. A non-ASCII character keeps the line a candidate, as lower-casing it
     * may change the form.
     */
    static boolean mayBeTrivialAssertion(String t) {
        char c = t.charAt(0);
        if (c == 's' || c == 'S') {
            int n = compactLength(t, MAX_S_FORM);
            return n < 0 || (n >= MIN_S_FORM && n <= MAX_S_FORM);
        }
        return c == 'a' || c == 'A' || c == 'e' || c == 'E' || c >= 128;
    }

    /**
     * The length of {@link #compact(String)}, counted up to {@code limit + 1}; -1 when a non-ASCII character comes
     * first.
     */
    static int compactLength(String t, int limit) {
        int n = 0;
        for (int i = 0; i < t.length() && n <= limit; i++) {
            char c = t.charAt(i);
            if (c >= 128) {
                return -1;
            }
            if (!Character.isWhitespace(c)) {
                n++;
            }
        }
        return n;
    }

    /** An assertion that holds whatever the code under test does. */
    static boolean isTrivialAssertion(String compactLower) {
        String c = compactLower.endsWith(";") ? compactLower.substring(0, compactLower.length() - 1) : compactLower;
        if (TRIVIAL_FORMS.contains(c)) {
            return true;
        }
        if (!c.startsWith("assert") && !c.startsWith("expect")) {
            return false; // every check below needs one of these prefixes
        }
        return sameArguments(c, "assertequals(", ")")
                || sameArguments(c, "assert_eq!(", ")")
                || sameArgsChain(c, "expect(", ").tobe(")
                || sameArgsChain(c, "expect(", ").toequal(")
                || sameArgsChain(c, "assertthat(", ").isequalto(")
                || (c.startsWith("assert") && c.length() > 6 && sameOperands(c.substring(6)));
    }

    private static boolean sameArguments(String c, String open, String close) {
        if (!c.startsWith(open) || !c.endsWith(close)) {
            return false;
        }
        String args = c.substring(open.length(), c.length() - close.length());
        int comma = args.indexOf(',');
        return comma > 0
                && args.indexOf(',', comma + 1) < 0
                && args.substring(0, comma).equals(args.substring(comma + 1));
    }

    private static boolean sameArgsChain(String c, String open, String mid) {
        int m = c.indexOf(mid);
        if (!c.startsWith(open) || m < 0 || !c.endsWith(")")) {
            return false;
        }
        String a = c.substring(open.length(), m);
        String b = c.substring(m + mid.length(), c.length() - 1);
        return !a.isEmpty() && a.equals(b);
    }

    private static boolean sameOperands(String expr) {
        int eq = expr.indexOf("==");
        return eq > 0 && expr.indexOf("==", eq + 2) < 0 && expr.substring(0, eq).equals(expr.substring(eq + 2));
    }

    /** Returns the text of a commented-out line without its comment marker, or null. */
    static String commentedCode(String t) {
        if (t.startsWith("//")) {
            return t.substring(2).strip();
        }
        if (t.startsWith("#") && !t.startsWith("#[")) {
            return t.substring(1).strip();
        }
        if (t.startsWith("/*")) {
            String in = t.substring(2);
            int end = in.indexOf("*/");
            return (end >= 0 ? in.substring(0, end) : in).strip();
        }
        if (t.startsWith("--")) {
            return t.substring(2).strip();
        }
        return null;
    }

    static boolean startsWithToken(String t, String token) {
        return t.startsWith(token) && (t.length() == token.length() || !isIdentifierChar(t.charAt(token.length())));
    }

    static boolean containsToken(String t, String token) {
        int from = 0;
        while (true) {
            int i = t.indexOf(token, from);
            if (i < 0) {
                return false;
            }
            int end = i + token.length();
            if (end == t.length() || !isIdentifierChar(t.charAt(end))) {
                return true;
            }
            from = i + 1;
        }
    }

    private static boolean isIdentifierChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.';
    }

    static String compact(String t) {
        int n = t.length();
        int i = 0;
        while (i < n && !Character.isWhitespace(t.charAt(i))) {
            i++;
        }
        if (i == n) {
            return t;
        }
        char[] out = new char[n];
        t.getChars(0, i, out, 0);
        int k = i;
        for (; i < n; i++) {
            char c = t.charAt(i);
            if (!Character.isWhitespace(c)) {
                out[k++] = c;
            }
        }
        return new String(out, 0, k);
    }

    /**
     * {@code compact(t).toLowerCase(Locale.ROOT)} in one pass for ASCII text; other text takes the two steps,
     * since lower-casing beyond ASCII can change the length.
     */
    static String compactLower(String t) {
        int n = t.length();
        char[] out = new char[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            char c = t.charAt(i);
            if (c >= 128) {
                return compact(t).toLowerCase(Locale.ROOT);
            }
            if (!Character.isWhitespace(c)) {
                out[k++] = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
            }
        }
        return new String(out, 0, k);
    }
}
