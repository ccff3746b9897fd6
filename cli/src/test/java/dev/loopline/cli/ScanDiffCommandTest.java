package dev.loopline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.schemas.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScanDiffCommandTest {

    static final String DOCS_EDIT =
            """
            diff --git a/docs/guide.md b/docs/guide.md
            --- a/docs/guide.md
            +++ b/docs/guide.md
            @@ -1,2 +1,2 @@
             # Guide
            -Old text
            +New text
            """;

    static final String TEST_DELETED =
            """
            diff --git a/tests/test_calc.py b/tests/test_calc.py
            --- a/tests/test_calc.py
            +++ b/tests/test_calc.py
            @@ -1,4 +1,2 @@
             def test_add():
            -    assert add(1, 2) == 3
            +    pass
            -def test_sub():
            -    assert sub(2, 1) == 1
            """;

    static final String CI_TWEAK =
            """
            diff --git a/.github/workflows/ci.yml b/.github/workflows/ci.yml
            --- a/.github/workflows/ci.yml
            +++ b/.github/workflows/ci.yml
            @@ -1,2 +1,2 @@
             name: ci
            -on: [push]
            +on: [push, pull_request]
            """;

    @TempDir
    Path dir;

    private String file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content).toString();
    }

    static Stream<Arguments> diffs() {
        return Stream.of(
                // diff, extra options, exit code, rules reported
                Arguments.of("docs edit", DOCS_EDIT, List.of(), 0, List.of()),
                Arguments.of(
                        "tests deleted",
                        TEST_DELETED,
                        List.of(),
                        5,
                        List.of("test-removed", "assertion-removed", "assertion-removed")),
                // a low finding is reported but informational: clean, exit 0, as the guard judges a proposal
                Arguments.of("ci tweak", CI_TWEAK, List.of(), 0, List.of("ci-config-changed")),
                Arguments.of(
                        "ci tweak below the threshold", CI_TWEAK, List.of("--min-severity", "medium"), 0, List.of()),
                Arguments.of(
                        "tests deleted at HIGH",
                        TEST_DELETED,
                        List.of("--min-severity", "HIGH"),
                        5,
                        List.of("test-removed", "assertion-removed", "assertion-removed")),
                Arguments.of("not a diff", "hello, world\n", List.of(), 5, List.of("unparseable-diff")),
                Arguments.of(
                        "truncated hunk",
                        "--- a/x.py\n+++ b/x.py\n@@ -1,3 +1,3 @@\n-a\n",
                        List.of(),
                        5,
                        List.of("unparseable-diff")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("diffs")
    void reportsFindingsAsJsonAndExitsFiveUnlessClean(
            String name, String diff, List<String> options, int exitCode, List<String> rules) throws IOException {
        String path = file("change.diff", diff);
        String[] args = Stream.concat(
                        Stream.concat(Stream.of("scan-diff", "--json"), options.stream()), Stream.of(path))
                .toArray(String[]::new);

        CliRun run = CliRun.run("", args);

        assertThat(run.exitCode()).as(run.all()).isEqualTo(exitCode);
        JsonNode json = run.json();
        assertThat(json.get("clean").asBoolean()).isEqualTo(exitCode == 0);
        assertThat(json.get("findings")).extracting(f -> f.get("rule").asText()).containsExactlyElementsOf(rules);
    }

    @Test
    void findingCarriesRuleSeverityFileLineAndEvidence() throws IOException {
        CliRun run = CliRun.run("", "scan-diff", "--json", file("t.diff", TEST_DELETED));

        JsonNode first = run.json().get("findings").get(0);
        assertThat(Json.mapper().convertValue(first, Map.class))
                .containsExactly(
                        entry("rule", "test-removed"),
                        entry("severity", "high"),
                        entry("file", "tests/test_calc.py"),
                        entry("line", 3),
                        entry("evidence", "def test_sub():"));
    }

    @Test
    void readsStandardInputWithoutArgumentOrWithDash() {
        CliRun noArg = CliRun.run(TEST_DELETED, "scan-diff");
        CliRun dash = CliRun.run(DOCS_EDIT, "scan-diff", "-");

        assertThat(noArg.exitCode()).isEqualTo(ExitCodes.DIFF_FINDINGS);
        assertThat(noArg.out())
                .contains("high   test-removed             tests/test_calc.py:3  def test_sub():")
                .endsWith("3 findings\n");
        assertThat(dash.exitCode()).isZero();
        assertThat(dash.out()).isEqualTo("clean\n");
    }

    static Stream<Arguments> unusableInputs() {
        return Stream.of(
                Arguments.of("empty stdin", null, "", "standard input is empty"),
                Arguments.of("blank stdin", null, " \n\t\n", "standard input is empty"),
                Arguments.of("empty file", "empty.diff", "", "is empty"),
                Arguments.of("directory", ".", "", "is a directory"),
                Arguments.of("missing file", "nope.diff", "", "no such file"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusableInputs")
    void unusableInputIsAUsageErrorNeverClean(String name, String fileArg, String stdin, String message)
            throws IOException {
        Files.writeString(dir.resolve("empty.diff"), "");
        String[] args = fileArg == null
                ? new String[] {"scan-diff", "--json"}
                : new String[] {"scan-diff", "--json", dir.resolve(fileArg).toString()};

        CliRun run = CliRun.run(stdin, args);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains(message);
    }

    @Test
    void unknownSeverityIsAUsageErrorListingTheLevels() {
        CliRun run = CliRun.run(DOCS_EDIT, "scan-diff", "--min-severity", "urgent");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("expected one of [LOW, MEDIUM, HIGH]");
    }

    @Test
    void batchScansOneJsonEncodedDiffPerLine() throws IOException {
        String stdin = Json.mapper().writeValueAsString(DOCS_EDIT) + "\n"
                + Json.mapper().writeValueAsString(TEST_DELETED) + "\n"
                + "diff --git a/x b/x\n";

        CliRun run = CliRun.run(stdin, "scan-diff", "--stdin");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        List<JsonNode> lines = run.jsonLines();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).get("clean").asBoolean()).isTrue();
        assertThat(lines.get(1).get("findings")).hasSize(3);
        assertThat(lines.get(2).get("error").asText()).startsWith("expected a JSON string literal");
    }

    @Test
    void batchOfDiffsExitsFiveWhenAnyHasFindings() throws IOException {
        String stdin = Json.mapper().writeValueAsString(DOCS_EDIT) + "\n"
                + Json.mapper().writeValueAsString(TEST_DELETED) + "\n";

        CliRun run = CliRun.run(stdin, "scan-diff", "--stdin");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.DIFF_FINDINGS);
        assertThat(run.jsonLines()).extracting(l -> l.get("line").asInt()).containsExactly(1, 2);
    }
}
