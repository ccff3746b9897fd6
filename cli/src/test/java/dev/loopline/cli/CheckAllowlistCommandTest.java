package dev.loopline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CheckAllowlistCommandTest {

    @TempDir
    Path dir;

    @BeforeEach
    void policies() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/formats/loop-engineering/gate.yaml")) {
            Files.copy(Objects.requireNonNull(in), dir.resolve("gate.yaml"));
        }
        write("native.json", "{\"allow\": [\"docs/**\", \"src/**\"], \"deny\": [\"src/vendor/**\"], \"maxFiles\": 3}");
        write("native.yaml", "allow: [\"docs/**\"]\nmaxLines: 4\ncaseInsensitive: false\n");
        write(
                "strive.json",
                "{\"allow_globs\": [\"docs/**\"], \"deny_globs\": [], \"max_files\": 5, \"max_lines\": 2}");
        write("migrations.yaml", "allow: [\"db/migrations/**\"]\n");
        write("migrations-allowed.yaml", "allow: [\"db/migrations/**\"]\nremoveDefaultDeny: [migrations]\n");
        write("everything.yaml", "allow: [\"**\"]\n");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    /** A diff that edits each path: one line removed, one added. */
    static String edits(String... paths) {
        return Stream.of(paths)
                .map(p -> "diff --git a/" + p + " b/" + p + "\n--- a/" + p + "\n+++ b/" + p + "\n@@ -1,2 +1,2 @@\n"
                        + " keep\n-old\n+new\n")
                .collect(Collectors.joining());
    }

    static final String TEST_REMOVED_IN_ALLOWED_PATH =
            """
            diff --git a/apps/web/test/login.test.ts b/apps/web/test/login.test.ts
            --- a/apps/web/test/login.test.ts
            +++ b/apps/web/test/login.test.ts
            @@ -1,4 +1,2 @@
             describe('login', () => {
            -  it('rejects a wrong password', () => {
            -    expect(login('x')).toBe(false);
             });
            """;

    static Stream<Arguments> decisions() {
        String thirteen = edits(IntStream.range(0, 13)
                .mapToObj(i -> "apps/web/src/f" + i + ".ts")
                .toArray(String[]::new));
        return Stream.of(
                // policy, diff, exit code, files, lines, reasons (prefixes, in order)
                Arguments.of("native.json", edits("docs/a.md", "src/b.java"), 0, 2, 4, List.of()),
                Arguments.of(
                        "native.json",
                        edits("src/vendor/lib.js"),
                        7,
                        1,
                        2,
                        List.of("denied: src/vendor/lib.js matches deny glob 'src/vendor/**'")),
                Arguments.of(
                        "native.json",
                        edits("docs/a.md", "docs/b.md", "docs/c.md", "docs/d.md"),
                        7,
                        4,
                        8,
                        List.of("too many files: 4 > maxFiles 3")),
                Arguments.of("native.yaml", edits("docs/a.md", "docs/b.md"), 0, 2, 4, List.of()),
                Arguments.of("native.yaml", edits("Docs/a.md"), 7, 1, 2, List.of("not allowlisted: Docs/a.md")),
                Arguments.of("strive.json", edits("docs/a.md"), 0, 1, 2, List.of()),
                Arguments.of(
                        "strive.json",
                        edits("docs/a.md", "README.md"),
                        7,
                        2,
                        4,
                        List.of("too many lines: 4 > maxLines 2", "not allowlisted: README.md")),
                Arguments.of(
                        "everything.yaml",
                        edits(".github/workflows/ci.yml"),
                        7,
                        1,
                        2,
                        List.of(
                                "denied: .github/workflows/ci.yml matches default deny group 'ci'",
                                "integrity: ci-config-changed (low)")),
                Arguments.of(
                        "migrations.yaml",
                        edits("db/migrations/V2__add.sql"),
                        7,
                        1,
                        2,
                        List.of("denied: db/migrations/V2__add.sql matches default deny group 'migrations'")),
                Arguments.of("migrations-allowed.yaml", edits("db/migrations/V2__add.sql"), 0, 1, 2, List.of()),
                Arguments.of("gate.yaml", edits("apps/web/src/app.ts", "server/tests/test_api.py"), 0, 2, 4, List.of()),
                Arguments.of(
                        "gate.yaml",
                        edits("server/app/api/auth_tokens.py"),
                        7,
                        1,
                        2,
                        List.of("denied: server/app/api/auth_tokens.py matches deny glob 'server/app/**/auth*'")),
                Arguments.of(
                        "gate.yaml",
                        edits("deploy/prod.yaml"),
                        7,
                        1,
                        2,
                        List.of(
                                "denied: deploy/prod.yaml matches deny glob 'deploy/**'",
                                "not allowlisted: deploy/prod.yaml")),
                Arguments.of(
                        "gate.yaml", edits("apps/api/main.go"), 7, 1, 2, List.of("not allowlisted: apps/api/main.go")),
                Arguments.of("gate.yaml", thirteen, 7, 13, 26, List.of("too many files: 13 > maxFiles 12")),
                Arguments.of(
                        "gate.yaml",
                        TEST_REMOVED_IN_ALLOWED_PATH,
                        7,
                        1,
                        2,
                        List.of(
                                "integrity: test-removed (high) in apps/web/test/login.test.ts:2",
                                "integrity: assertion-removed (high) in apps/web/test/login.test.ts:3")),
                Arguments.of(
                        "gate.yaml",
                        "--- a/x.ts\n+++ b/x.ts\n@@ -1,3 +1,3 @@\n-a\n",
                        7,
                        0,
                        0,
                        List.of("integrity: unparseable-diff (high)")));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("decisions")
    void decidesAutoMergeAndExitsSevenWhenNotAllowed(
            String policy, String diff, int exitCode, int files, int lines, List<String> reasons) throws IOException {
        Path diffFile = write("change.diff", diff);

        CliRun run =
                CliRun.run("", "check-allowlist", "--json", dir.resolve(policy).toString(), diffFile.toString());

        assertThat(run.exitCode()).as(run.all()).isEqualTo(exitCode);
        JsonNode json = run.json();
        assertThat(json.get("auto_ok").asBoolean()).isEqualTo(exitCode == 0);
        assertThat(json.get("files_changed").asInt()).isEqualTo(files);
        assertThat(json.get("lines_changed").asInt()).isEqualTo(lines);
        List<String> actual = new ArrayList<>();
        json.get("reasons").forEach(r -> actual.add(r.asText()));
        assertThat(actual).hasSameSizeAs(reasons);
        for (int i = 0; i < reasons.size(); i++) {
            assertThat(actual.get(i)).startsWith(reasons.get(i));
        }
    }

    @Test
    void jsonHasExactlyTheEarlierToolsKeys() throws IOException {
        CliRun run = CliRun.run(
                edits("docs/a.md"),
                "check-allowlist",
                "--json",
                dir.resolve("strive.json").toString());

        Iterator<String> names = run.json().fieldNames();
        List<String> keys = new ArrayList<>();
        names.forEachRemaining(keys::add);
        assertThat(keys).containsExactly("auto_ok", "files_changed", "lines_changed", "reasons");
    }

    @Test
    void textOutputSaysTheVerdictThenEachReason() {
        CliRun run = CliRun.run(
                edits("docs/a.md", "README.md"),
                "check-allowlist",
                dir.resolve("native.json").toString(),
                "-");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_ALLOWED);
        assertThat(run.out()).isEqualTo("NOT AUTO-OK: 2 files, 4 lines\n  not allowlisted: README.md\n");
    }

    static Stream<Arguments> badPolicies() {
        return Stream.of(
                Arguments.of("typo.json", "{\"allow\": [\"docs/**\"], \"dney\": [\"x\"]}", "unknown key 'dney'"),
                Arguments.of(
                        "two-names.yaml", "allow: [a]\nallow_globs: [b]\n", "'allow' and 'allow_globs' set the same"),
                Arguments.of("twice.yaml", "allow: [a]\nallow: [b]\n", "Duplicate field 'allow'"),
                Arguments.of("scalar.yaml", "allow: docs/**\n", "'allow' must be a list of strings"),
                Arguments.of("blank-glob.yaml", "allow: ['']\n", "'allow[0]' must be a non-empty string"),
                Arguments.of("zero.yaml", "allow: [a]\nmaxFiles: 0\n", "'maxFiles' must be a whole number"),
                Arguments.of("text-cap.json", "{\"allow\": [\"a\"], \"max_lines\": \"10\"}", "'max_lines' must be"),
                Arguments.of("case.yaml", "allow: [a]\ncaseInsensitive: maybe\n", "caseInsensitive must be true"),
                Arguments.of("group.yaml", "allow: [a]\nremoveDefaultDeny: [secretz]\n", "groups: auth, payments"),
                Arguments.of("list.yaml", "- allow\n", "must be a mapping"),
                Arguments.of("broken.json", "{\"allow\": [", "is not valid JSON"),
                Arguments.of("empty.yaml", "", "is empty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPolicies")
    void aPolicyThatCannotBeReadExactlyIsAUsageError(String name, String content, String message) throws IOException {
        Path policy = write(name, content);

        CliRun run = CliRun.run(edits("docs/a.md"), "check-allowlist", policy.toString());

        assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains(message);
    }

    static Stream<Arguments> unusableInputs() {
        return Stream.of(
                Arguments.of("policy is a directory", "@.", null, "", "is a directory"),
                Arguments.of("policy missing", "@nope.yaml", null, "", "no such file"),
                Arguments.of("empty diff on stdin", "@native.json", null, "", "standard input is empty"),
                Arguments.of("empty diff file", "@native.json", "@empty.diff", "", "is empty"),
                Arguments.of("diff is a directory", "@native.json", "@.", "", "is a directory"),
                Arguments.of("no policy", null, null, "", "Missing required parameter: '<policy>'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusableInputs")
    void unusableInputIsAUsageErrorNeverAutoOk(String name, String policy, String diff, String stdin, String message)
            throws IOException {
        write("empty.diff", "");
        String[] args = Stream.of("check-allowlist", policy, diff)
                .filter(Objects::nonNull)
                .map(a -> a.startsWith("@") ? dir.resolve(a.substring(1)).toString() : a)
                .toArray(String[]::new);

        CliRun run = CliRun.run(stdin, args);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains(message);
    }
}
