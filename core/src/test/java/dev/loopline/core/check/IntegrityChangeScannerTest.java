package dev.loopline.core.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.core.guard.integrity.IntegrityRule;
import dev.loopline.core.guard.integrity.Severity;
import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.Finding;
import dev.loopline.schemas.events.Usage;
import dev.loopline.schemas.spec.LoopSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntegrityChangeScannerTest {

    private final IntegrityChangeScanner scanner = new IntegrityChangeScanner();

    @TempDir
    Path checkout;

    @Test
    void aSourceOnlyChangeAnsweringAnExistingTestOfTheCheckoutIsHigh() throws IOException {
        Files.createDirectories(checkout.resolve("tests"));
        Files.writeString(checkout.resolve("tests/test_fib.py"), "def test_fib():\n    assert fib(7) == 13\n");
        Files.createDirectories(checkout.resolve(".git"));
        Files.writeString(checkout.resolve(".git/test_fib.py"), "assert fib(8) == 21\n");
        String diff =
                """
                diff --git a/src/fib.py b/src/fib.py
                --- a/src/fib.py
                +++ b/src/fib.py
                @@ -1,2 +1,4 @@
                 def fib(n):
                +    if n == 7:
                +        return 13
                     return n
                """;

        List<Finding> findings = scanner.scan(proposal(diff), checkout);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("hardcoded-test-answer");
            assertThat(f.severity()).isEqualTo(Finding.Severity.HIGH);
            assertThat(f.file()).isEqualTo("src/fib.py");
            assertThat(f.evidence()).contains("existing test tests/test_fib.py:2");
        });
        assertThat(scanner.escalates(findings.get(0))).isTrue();
    }

    @Test
    void theCheckoutsGitDirectoryIsNoTest() throws IOException {
        Files.createDirectories(checkout.resolve(".git/tests"));
        Files.writeString(checkout.resolve(".git/tests/test_fib.py"), "assert fib(7) == 13\n");

        assertThat(new CheckoutTestTree(checkout).paths()).isEmpty();
    }

    @Test
    void aDeletedTestFileIsAHighFindingWithTheRuleDescription() {
        String diff =
                """
                diff --git a/tests/test_hello.py b/tests/test_hello.py
                deleted file mode 100644
                index 3b18e51..0000000
                --- a/tests/test_hello.py
                +++ /dev/null
                @@ -1,2 +0,0 @@
                -def test_hello():
                -    assert hello() == "hello"
                """;

        List<Finding> findings = scanner.scan(proposal(diff), null);

        assertThat(findings)
                .containsExactly(new Finding(
                        "test-file-deleted",
                        Finding.Severity.HIGH,
                        "a test file was deleted",
                        "tests/test_hello.py",
                        null,
                        "deleted tests/test_hello.py"));
    }

    @Test
    void aRemovedAssertionCarriesItsLineAndEvidence() {
        String diff =
                """
                diff --git a/tests/test_hello.py b/tests/test_hello.py
                --- a/tests/test_hello.py
                +++ b/tests/test_hello.py
                @@ -1,3 +1,2 @@
                 def test_hello():
                -    assert hello() == "hello"
                     pass
                """;

        List<Finding> findings = scanner.scan(proposal(diff), null);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("assertion-removed");
            assertThat(f.file()).isEqualTo("tests/test_hello.py");
            assertThat(f.line()).isEqualTo(2);
            assertThat(f.evidence()).isEqualTo("assert hello() == \"hello\"");
            assertThat(scanner.escalates(f)).isTrue();
        });
    }

    @Test
    void anUnparseableDiffIsNeverClean() {
        List<Finding> findings = scanner.scan(proposal("diff --git a/x b/x\n@@ -1,5 +1,1 @@\n-only one line\n"), null);

        assertThat(findings).extracting(Finding::ruleId).containsExactly("unparseable-diff");
        assertThat(findings.get(0).severity()).isEqualTo(Finding.Severity.HIGH);
    }

    @Test
    void mediumAndHighFindingsEscalateLowOnesOnlyReport() {
        assertThat(scanner.escalates(finding(Finding.Severity.LOW))).isFalse();
        assertThat(scanner.escalates(finding(Finding.Severity.MEDIUM))).isTrue();
        assertThat(scanner.escalates(finding(Finding.Severity.HIGH))).isTrue();
    }

    @Test
    void everyRuleHasADescriptionAndEverySeverityAMapping() {
        assertThat(Arrays.stream(IntegrityRule.values()).map(IntegrityChangeScanner::description))
                .doesNotContainNull()
                .doesNotHaveDuplicates()
                .hasSize(IntegrityRule.values().length);
        assertThat(Arrays.stream(Severity.values()).map(IntegrityChangeScanner::severity))
                .containsExactly(Finding.Severity.LOW, Finding.Severity.MEDIUM, Finding.Severity.HIGH);
    }

    @Test
    void evidenceIsClippedTo200Characters() {
        String clipped = IntegrityChangeScanner.clip("x".repeat(500));

        assertThat(clipped).hasSize(200).endsWith("x\u2026");
        assertThat(IntegrityChangeScanner.clip("short")).isEqualTo("short");
    }

    private static Finding finding(Finding.Severity severity) {
        return new Finding("any", severity, "any", null, null, null);
    }

    static ChangeProposed proposal(String diff) {
        return proposal(diff, null);
    }

    static ChangeProposed proposal(String diff, String task) {
        LoopSpec spec = LoopSpec.builder(
                        "docs-loop",
                        LoopSpec.Kind.ASSISTED_FIX,
                        LoopSpec.Level.L2,
                        new LoopSpec.Target("/nowhere", "main"))
                .task(task)
                .build();
        return new ChangeProposed(
                "main",
                "0".repeat(40),
                diff,
                "0".repeat(64),
                List.of(),
                "test",
                new ChangeProposed.MakerInfo("mock", null),
                Usage.NONE,
                0,
                spec);
    }
}
