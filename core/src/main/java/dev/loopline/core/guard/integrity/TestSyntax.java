package dev.loopline.core.guard.integrity;

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

    private TestSyntax() {}

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
        for (String call : JS_TEST_CALLS) {
            if (t.startsWith(call)) {
                return true;
            }
        }
        return false;
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
    static Severity skipMarker(String t, String compact, String ext) {
        if (t.isEmpty()) {
            return null;
        }
        if (containsToken(t, "@Disabled")
                || containsToken(t, "@Ignore")
                || t.contains("junit.Ignore")
                || t.contains("api.Disabled")) {
            return Severity.HIGH;
        }
        if (t.contains("@Disabled") || t.contains("@EnabledIf") || t.contains("@EnabledOn")) {
            return Severity.MEDIUM;
        }
        if (compact.contains("enabled=false") || compact.contains("enabled:false")) {
            return Severity.HIGH;
        }
        if (t.contains("pytest.mark.skip")
                || t.contains("pytest.mark.xfail")
                || t.contains("unittest.skip")
                || t.contains("unittest.expectedFailure")) {
            return Severity.HIGH;
        }
        if (startsWithToken(t, "@skip")
                || startsWithToken(t, "@skipIf")
                || startsWithToken(t, "@skipUnless")
                || startsWithToken(t, "@expectedFailure")) {
            return Severity.HIGH;
        }
        if (ext.equals("go") && (t.contains(".Skip(") || t.contains(".Skipf(") || t.contains(".SkipNow("))) {
            return Severity.HIGH;
        }
        if (t.startsWith("#[ignore") || t.startsWith("[Ignore") || compact.contains("Skip=\"")) {
            return Severity.HIGH;
        }
        for (String call : SKIPPED_CALLS) {
            if (t.startsWith(call)) {
                return Severity.HIGH;
            }
        }
        if ((ext.equals("kt") || ext.equals("kts")) && t.contains("(\"!")) {
            return Severity.MEDIUM; // Kotest: a '!'-prefixed test name disables the test
        }
        return null;
    }

    static boolean isFocusMarker(String t) {
        for (String call : FOCUSED_CALLS) {
            if (t.startsWith(call)) {
                return true;
            }
        }
        return false;
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
        for (String p : ASSERTION_PREFIXES) {
            if (t.startsWith(p)) {
                return true;
            }
        }
        return t.contains(" shouldBe ")
                || t.contains(" shouldNotBe ")
                || t.contains(".should(")
                || t.contains(".should.")
                || t.contains("assert_eq!(")
                || t.contains("assert_ne!(")
                || t.contains("assert!(")
                || t.contains("assertThat(")
                || t.contains("expect(") && (t.contains(").to") || t.contains(").not"));
    }

    static boolean isStrongAssertion(String t) {
        for (String tok : STRONG_TOKENS) {
            if (t.contains(tok)) {
                return true;
            }
        }
        return false;
    }

    /** An assertion that holds whatever the code under test does. */
    static boolean isTrivialAssertion(String compactLower) {
        String c = compactLower.endsWith(";") ? compactLower.substring(0, compactLower.length() - 1) : compactLower;
        for (String trivial : TRIVIAL_ASSERTIONS) {
            if (c.equals(trivial) || c.equals("assertions." + trivial) || c.equals("assert." + trivial)) {
                return true;
            }
        }
        if (c.equals("asserttrue") || c.equals("assert1==1") || c.equals("assert1") || c.equals("assertnotfalse")) {
            return true;
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
        StringBuilder sb = null;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (Character.isWhitespace(c)) {
                if (sb == null) {
                    sb = new StringBuilder(t.length());
                    sb.append(t, 0, i);
                }
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? t : sb.toString();
    }
}
