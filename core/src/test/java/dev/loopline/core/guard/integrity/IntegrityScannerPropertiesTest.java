package dev.loopline.core.guard.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.core.diff.DiffParseException;
import dev.loopline.core.diff.DiffParser;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class IntegrityScannerPropertiesTest {

    private final IntegrityScanner scanner = new IntegrityScanner();

    @Property(tries = 1500)
    void neverThrowsAndNeverReportsCleanWhenParsingFails(@ForAll("diffish") String input) {
        List<Finding> findings = scanner.scan(input);
        boolean parses;
        try {
            DiffParser.parse(input);
            parses = true;
        } catch (DiffParseException e) {
            parses = false;
        }
        if (!parses) {
            assertThat(findings).extracting(Finding::ruleId).containsExactly("unparseable-diff");
            assertThat(IntegrityScanner.isClean(findings, Severity.HIGH)).isFalse();
        }
        assertThat(findings).noneMatch(f -> f.rule() == IntegrityRule.SCANNER_ERROR);
        assertThat(findings).allMatch(f -> f.evidence().length() <= Finding.MAX_EVIDENCE);
    }

    @Provide
    Arbitrary<String> diffish() {
        Arbitrary<String> path = Arbitraries.of(
                "src/test/java/a/FooTest.java",
                "tests/test_a.py",
                "a_test.go",
                "src/lib.rs",
                "a.test.ts",
                ".github/workflows/ci.yml",
                "pom.xml",
                "package.json",
                "Makefile",
                "build.gradle",
                "src/main/java/A.java");
        Arbitrary<String> line = Arbitraries.oneOf(
                Arbitraries.of(
                        "@Test",
                        "@Disabled",
                        "assertEquals(1, x);",
                        "// assertEquals(1, x);",
                        ".isEqualTo(3)",
                        "assertTrue(true);",
                        "return;",
                        "if (true) return;",
                        "def test_a():",
                        "test:",
                        "\"test\": \"\"",
                        "continue-on-error: true",
                        "<skip>true</skip>",
                        "#[test]",
                        "it.only('x')",
                        "",
                        "#",
                        "//",
                        "/*"),
                Arbitraries.strings().ofMaxLength(20));
        Arbitrary<String> body = Arbitraries.of("+", "-", " ")
                .flatMap(m -> line.map(l -> m + l))
                .list()
                .ofMinSize(1)
                .ofMaxSize(12)
                .map(ls -> String.join("\n", ls));
        Arbitrary<Integer> slack = Arbitraries.integers().between(-1, 1);
        return net.jqwik.api.Combinators.combine(path, body, slack).as((p, b, s) -> {
            long old = b.lines().filter(l -> !l.startsWith("+")).count();
            long neu = b.lines().filter(l -> !l.startsWith("-")).count();
            return "diff --git a/" + p + " b/" + p + "\n--- a/" + p + "\n+++ b/" + p + "\n@@ -1," + (old + s) + " +1,"
                    + neu + " @@\n" + b + "\n";
        });
    }
}
