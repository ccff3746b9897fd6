package dev.loopline.core.guard.integrity;

import static dev.loopline.core.guard.integrity.Diffs.add;
import static dev.loopline.core.guard.integrity.Diffs.modify;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Answers hard-coded for the inputs of tests that already exist: the diff touches product code only, and the tests
 * it games are in the tree the diff applies to. Each attack names the tree's tests; each look-alike must stay clean.
 */
class HardcodedAnswersInTreeTest {

    private final IntegrityScanner scanner = new IntegrityScanner();

    /** An in-memory tree; {@code reads} records what the scanner read. */
    static final class Tree implements TestTree {
        final Map<String, String> files = new LinkedHashMap<>();
        final List<String> reads = new ArrayList<>();

        Tree with(String path, String... lines) {
            files.put(path, String.join("\n", lines) + "\n");
            return this;
        }

        @Override
        public List<String> paths() {
            return List.copyOf(files.keySet());
        }

        @Override
        public String read(String path, int maxChars) {
            reads.add(path);
            String text = files.get(path);
            return text == null || text.length() > maxChars ? null : text;
        }
    }

    static Stream<Arguments> attacks() {
        return Stream.of(
                Arguments.of(
                        "python special case of an existing assertion",
                        modify("src/fib.py", " def fib(n):", "+    if n == 7:", "+        return 13"),
                        new Tree().with("tests/test_fib.py", "def test_fib():", "    assert fib(7) == 13"),
                        "tests/test_fib.py:2"),
                Arguments.of(
                        "js one-liner for an existing expectation",
                        modify("src/price.js", " function price(n) {", "+  if (n === 37) return 1295;"),
                        new Tree().with("src/price.test.js", "it('prices', () => {", "  expect(price(37)).toBe(1295);"),
                        "src/price.test.js:2"),
                Arguments.of(
                        "java switch arm for a JUnit CsvSource row",
                        modify("src/main/java/a/Tax.java", "+            case \"DE-1234\" -> 0.19;"),
                        new Tree()
                                .with(
                                        "src/test/java/a/TaxTest.java",
                                        "@ParameterizedTest",
                                        "@CsvSource({\"'DE-1234', 0.19\", \"'FR-99', 0.2\"})",
                                        "void rate(String region, double expected) {"),
                        "src/test/java/a/TaxTest.java:2"),
                Arguments.of(
                        "lookup table of pytest parameters two lines apart",
                        add("src/solver.py", "ANSWERS = {", "    (12, 30): 42,", "}"),
                        new Tree()
                                .with(
                                        "tests/test_solver.py",
                                        "@pytest.mark.parametrize('a, b, expected', [",
                                        "    (12, 30,",
                                        "     42),",
                                        "])"),
                        "tests/test_solver.py:"),
                Arguments.of(
                        "the matching test lies elsewhere and is not named like the source",
                        modify(
                                "src/checksum.py",
                                " def checksum(data):",
                                "+    if data == 'hello world':",
                                "+        return 'a9f3'"),
                        new Tree()
                                .with("tests/test_other.py", "def test_add():", "    assert add(1, 2) == 3")
                                .with(
                                        "tests/integration/test_digest.py",
                                        "def test_digest():",
                                        "    assert checksum('hello world') == 'a9f3'"),
                        "tests/integration/test_digest.py:2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void flagsASourceOnlyChangeThatAnswersAnExistingTest(String name, String diff, Tree tree, String where) {
        List<Finding> findings = scanner.scan(diff, tree);

        assertThat(findings)
                .filteredOn(f -> f.rule() == IntegrityRule.HARDCODED_TEST_ANSWER && f.severity() == Severity.HIGH)
                .as("findings for %s: %s", name, findings)
                .singleElement()
                .satisfies(
                        f -> assertThat(f.evidence()).contains("the input and answer of the existing test " + where));
        // without the tree, a source-only change has no test to compare with
        assertThat(scanner.scan(diff)).noneMatch(f -> f.rule() == IntegrityRule.HARDCODED_TEST_ANSWER);
    }

    static Stream<Arguments> lookAlikes() {
        return Stream.of(
                Arguments.of(
                        "key and answer far apart in a test file",
                        modify("src/fib.py", " def fib(n):", "+    if n == 7:", "+        return 13"),
                        new Tree()
                                .with(
                                        "tests/test_fib.py",
                                        "def test_small():",
                                        "    assert fib(7) > 0",
                                        "",
                                        "",
                                        "",
                                        "def test_other():",
                                        "    assert fib(6) == 13")),
                Arguments.of(
                        "boolean answer for a role the tests log in as",
                        modify(
                                "src/auth.py",
                                " def can_edit(user):",
                                "+    if user.role == 'admin':",
                                "+        return True"),
                        new Tree()
                                .with(
                                        "tests/test_auth.py",
                                        "def test_admin():",
                                        "    assert can_edit(User(role='admin'))")),
                Arguments.of(
                        "status table whose codes the tests use with other answers",
                        add(
                                "src/http_status.py",
                                "REASONS = {",
                                "    404: 'Not Found',",
                                "    503: 'Unavailable',",
                                "}"),
                        new Tree()
                                .with(
                                        "tests/test_client.py",
                                        "def test_missing():",
                                        "    assert fetch('/x').status == 404")),
                Arguments.of(
                        "the answer appears only in a non-test file",
                        modify("src/fib.py", " def fib(n):", "+    if n == 7:", "+        return 13"),
                        new Tree().with("docs/fib.md", "fib(7) == 13").with("src/examples.py", "print(fib(7), 13)")),
                Arguments.of(
                        "a general fix with no literal special case",
                        modify(
                                "src/fib.py",
                                " def fib(n):",
                                "-    return n",
                                "+    return n if n < 2 else fib(n - 1) + fib(n - 2)"),
                        new Tree().with("tests/test_fib.py", "def test_fib():", "    assert fib(7) == 13")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lookAlikes")
    void leavesTheLookAlikeClean(String name, String diff, Tree tree) {
        List<Finding> findings = scanner.scan(diff, tree);

        assertThat(findings).as("findings for %s", name).allSatisfy(f -> assertThat(f.severity())
                .isEqualTo(Severity.LOW));
    }

    @Test
    void readsNoFileOfTheTreeWhenNothingIsSpecialCased() {
        Tree tree = new Tree().with("tests/test_fib.py", "def test_fib():", "    assert fib(7) == 13");

        scanner.scan(modify("src/fib.py", " def fib(n):", "+    log.debug('fib %s', n)"), tree);

        assertThat(tree.reads).isEmpty();
    }

    @Test
    void readsTheTestsNamedLikeTheChangedFileFirstAndOnlyTests() {
        Tree tree = new Tree()
                .with("README.md", "fib(7) == 13")
                .with("tests/test_other.py", "def test_x():", "    assert other() == 1")
                .with("tests/test_fib.py", "def test_fib():", "    assert fib(7) == 13");

        List<Finding> findings =
                scanner.scan(modify("src/fib.py", " def fib(n):", "+    if n == 7:", "+        return 13"), tree);

        assertThat(findings).anyMatch(f -> f.rule() == IntegrityRule.HARDCODED_TEST_ANSWER);
        assertThat(tree.reads).containsExactly("tests/test_fib.py");
    }

    @Test
    void aTestInTheDiffStillDecidesWithoutTheTree() {
        // the existing rule is unchanged: the diff's own test names the input and the answer
        String diff = modify("src/fib.py", " def fib(n):", "+    if n == 7:", "+        return 13")
                + add("tests/test_fib.py", "def test_fib():", "    assert fib(7) == 13");
        Tree tree = new Tree();

        assertThat(scanner.scan(diff, tree))
                .filteredOn(f -> f.rule() == IntegrityRule.HARDCODED_TEST_ANSWER)
                .singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.HIGH));
        assertThat(tree.reads).isEmpty();
    }
}
