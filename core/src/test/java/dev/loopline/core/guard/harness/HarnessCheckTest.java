package dev.loopline.core.guard.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopline.core.diff.ChangeType;
import dev.loopline.core.diff.Diff;
import dev.loopline.core.diff.FileChange;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HarnessCheckTest {

    private static final String SAMPLE_TEST_SH =
            """
            #!/bin/sh
            set -e
            test -f README.md
            grep -q hello src/greeting.txt
            sh tests/helpers.sh
            node src/app.js --self-test
            echo "2 checks passed"
            """;

    private final Map<String, String> base = new HashMap<>(Map.of(
            "test.sh", SAMPLE_TEST_SH,
            "tests/helpers.sh", "#!/bin/sh\n. ./tests/lib.sh\n",
            "tests/lib.sh", "check() { test -n \"$1\"; }\n",
            "src/greeting.txt", "hello\n",
            "src/app.js", "console.log('hi')\n",
            "README.md", "# sample\n",
            "run_tests.py", "import unittest\n",
            "scripts/test", "#!/usr/bin/env bash\nsh scripts/inner.sh\n",
            "scripts/inner.sh", "true\n",
            "ci/pytest.ini", "[pytest]\naddopts = -q\n"));
    private final Map<String, String> patched = new HashMap<>(base);

    @ParameterizedTest(name = "{0} pins {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "sh test.sh                          | test.sh",
                "bash -e test.sh                     | test.sh",
                "./test.sh                           | test.sh",
                "timeout 60 env CI=1 sh ./test.sh    | test.sh",
                "sh test.sh                          | tests/helpers.sh",
                "sh test.sh                          | tests/lib.sh",
                "cd . && sh -c 'sh test.sh'          | test.sh",
                "python3 run_tests.py                | run_tests.py",
                "uv run python run_tests.py          | run_tests.py",
                "./scripts/test                      | scripts/test",
                "./scripts/test                      | scripts/inner.sh",
                "pytest -c ci/pytest.ini             | ci/pytest.ini",
                "python -m pytest --config-file=ci/pytest.ini | ci/pytest.ini",
            })
    void findsTheFilesTheTestCommandRuns(String command, String pinnedPath) {
        edit(pinnedPath);

        HarnessCheck.Result result = check(command, List.of(), modified(pinnedPath));

        assertThat(result.findings()).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo(HarnessFinding.HARNESS_CHANGED);
            assertThat(f.path()).isEqualTo(pinnedPath);
            assertThat(f.change()).isEqualTo("edited");
        });
        assertThat(result.touchedPaths()).containsExactly(pinnedPath);
    }

    @ParameterizedTest(name = "{0} leaves {1} free")
    @CsvSource(
            delimiter = '|',
            value = {
                // what a test script reads or runs as the product is the change under test, not its harness
                "sh test.sh          | src/greeting.txt",
                "sh test.sh          | src/app.js",
                "sh test.sh          | README.md",
                // an interpreter's script is pinned only where the test command itself names it
                "sh test.sh          | run_tests.py",
                "python3 -m unittest | run_tests.py",
                "python3 -c 'import run_tests' | run_tests.py",
            })
    void leavesWhatTheTestsCheckFree(String command, String path) {
        edit(path);

        assertThat(check(command, List.of(), modified(path)).findings()).isEmpty();
    }

    @Test
    void npmTestPinsTheScriptsItsPackageScriptRuns() {
        base.put(
                "package.json",
                "{\"name\":\"x\",\"scripts\":{\"pretest\":\"sh ci/setup.sh\",\"test\":\"node tools/run.js\"}}");
        base.put("ci/setup.sh", "true\n");
        base.put("tools/run.js", "run()\n");
        patched.putAll(base);
        edit("ci/setup.sh");
        edit("tools/run.js");

        HarnessCheck.Result result = check("npm test", List.of(), modified("ci/setup.sh"), modified("tools/run.js"));

        assertThat(result.findings())
                .extracting(HarnessFinding::path, HarnessFinding::role)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "ci/setup.sh", "the script the package.json script \"pretest\" runs"),
                        org.assertj.core.groups.Tuple.tuple(
                                "tools/run.js", "the script the package.json script \"test\" runs"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                ".github/workflows/ci.yml",
                ".gitlab-ci.yml",
                "Makefile",
                "sub/GNUmakefile",
                "pom.xml",
                "service/pom.xml",
                "build.gradle.kts",
                "gradle/wrapper/gradle-wrapper.properties",
                ".mvn/maven.config",
                "pytest.ini",
                "tox.ini",
                "tests/unit/conftest.py",
                "conftest.py",
                ".coveragerc",
                "jest.config.ts",
                "vitest.config.mjs",
                "karma.conf.js",
                ".nycrc.json",
                "web/src/__snapshots__/App.test.tsx.snap",
                "testdata/render.golden",
                "spec/spec_helper.rb",
            })
    void pinsBuildTestAndCiFilesByName(String path) {
        FileChange change = added(path);

        assertThat(check("sh test.sh", List.of(), change).findings())
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.ruleId()).isEqualTo(HarnessFinding.HARNESS_CHANGED);
                    assertThat(f.change()).isEqualTo("added");
                });
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "loopline.yaml",
                "loops/nightly.loopline.yml",
                "registry.yaml",
                "loop-engineering/gate.yaml",
                "loops/fix/loop.json",
                "LOOP.md",
                ".loopline/config.yaml"
            })
    void noLoopMayChangeALoopSpec(String path) {
        assertThat(check("sh test.sh", List.of(), modified(path)).findings())
                .singleElement()
                .extracting(HarnessFinding::ruleId)
                .isEqualTo(HarnessFinding.LOOP_SPEC_CHANGED);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "id: nightly\nkind: report\nlevel: L1\ntarget: {repo: .}\n",
                "{\"id\": \"x\", \"level\": \"L3\", \"maker\": {\"type\": \"shell\"}}",
                "patterns:\n  - id: triage\n",
                "{\"phase\": \"triage\", \"kind\": \"git-commit-triage\"}"
            })
    void aLoopSpecIsToldByItsContentWhateverItsName(String spec) {
        base.put("loops/nightly.yaml", spec);
        patched.put("loops/nightly.yaml", spec.replace("L1", "L3"));
        patched.put("config/new-loop.json", spec);

        HarnessCheck.Result result =
                check("sh test.sh", List.of(), modified("loops/nightly.yaml"), added("config/new-loop.json"));

        assertThat(result.findings())
                .extracting(HarnessFinding::ruleId)
                .containsExactly(HarnessFinding.LOOP_SPEC_CHANGED, HarnessFinding.LOOP_SPEC_CHANGED);
    }

    @Test
    void ordinaryYamlAndJsonAreNotSpecs() {
        base.put("config/app.yaml", "server:\n  port: 8080\nlevel: debug\n");
        patched.put("config/app.yaml", "server:\n  port: 9090\nlevel: info\nid: app\n");
        patched.put("data/items.json", "[{\"id\": 1, \"level\": 2}]");

        assertThat(check("sh test.sh", List.of(), modified("config/app.yaml"), added("data/items.json"))
                        .findings())
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"src/main.py", "docs/guide.md", "lib/pomegranate.xml", "src/makefile_parser.c", "conftest.md"})
    void ordinaryFilesStayFree(String path) {
        assertThat(check("sh test.sh", List.of(), added(path), modified(path)).findings())
                .isEmpty();
    }

    @Test
    void everyKindOfChangeToAPinnedFileIsAFinding() {
        List<FileChange> changes = List.of(
                new FileChange("test.sh", null, ChangeType.DELETED, "100644", null, false, List.of()),
                new FileChange("test.sh", "check.sh", ChangeType.RENAMED, null, null, false, List.of()),
                new FileChange("test.sh", "test.sh", ChangeType.MODIFIED, "100644", "100755", false, List.of()),
                new FileChange("test.sh", "test.sh", ChangeType.MODIFIED, null, null, true, List.of()),
                new FileChange("old.sh", "test.sh", ChangeType.RENAMED, null, null, false, List.of()));

        List<String> described = changes.stream()
                .map(c -> check("sh test.sh", List.of(), c).findings())
                .map(findings -> findings.isEmpty() ? "none" : findings.get(0).change())
                .toList();

        assertThat(described)
                .containsExactly(
                        "deleted",
                        "renamed to check.sh",
                        "mode changed 100644 → 100755",
                        "changed (binary patch)",
                        "renamed from old.sh");
    }

    @Test
    void aRenameTouchesBothPathsSoBothAreRestored() {
        HarnessCheck.Result result = check(
                "sh test.sh",
                List.of(),
                new FileChange("test.sh", "check.sh", ChangeType.RENAMED, null, null, false, List.of()));

        assertThat(result.touchedPaths()).containsExactlyInAnyOrder("test.sh", "check.sh");
    }

    @Test
    void aCopyOfAPinnedFileLeavesTheOriginalAlone() {
        FileChange copy =
                new FileChange("test.sh", "docs/test.sh.txt", ChangeType.COPIED, null, null, false, List.of());

        assertThat(check("sh test.sh", List.of(), copy).findings()).isEmpty();
    }

    @Test
    void theSpecsProtectedGlobsArePinnedToo() {
        assertThat(check("sh test.sh", List.of("fixtures/**", "src/*.lock"), modified("fixtures/orders/1.json"))
                        .findings())
                .singleElement()
                .extracting(HarnessFinding::role)
                .isEqualTo("protected by the spec (fixtures/**)");
        assertThat(check("sh test.sh", List.of("fixtures/**"), modified("src/fixtures.py"))
                        .findings())
                .isEmpty();
    }

    @Test
    void packageJsonIsPinnedOnlyWhereItDecidesHowTestsRun() {
        base.put(
                "package.json",
                "{\"name\":\"x\",\"version\":\"1.0.0\",\"scripts\":{\"test\":\"jest\"},\"dependencies\":{\"a\":\"1\"}}");
        patched.put(
                "package.json",
                "{\n  \"name\": \"x\",\n  \"version\": \"1.1.0\",\n  \"scripts\": {\"test\": \"jest\"},\n"
                        + "  \"dependencies\": {\"a\": \"2\"}\n}");

        assertThat(check("npm test", List.of(), modified("package.json")).findings())
                .as("a version and dependency bump, reformatted")
                .isEmpty();

        patched.put("package.json", "{\"name\":\"x\",\"scripts\":{\"test\":\"jest || true\"}}");
        assertThat(check("npm test", List.of(), modified("package.json")).findings())
                .singleElement()
                .extracting(HarnessFinding::role)
                .isEqualTo("the test scripts and test configuration of package.json");

        patched.put(
                "package.json",
                "{\"name\":\"x\",\"scripts\":{\"test\":\"jest\"},\"jest\":{\"testPathIgnorePatterns\":[\"x\"]}}");
        assertThat(check("npm test", List.of(), modified("package.json")).findings())
                .hasSize(1);

        patched.put("package.json", "{ not json");
        assertThat(check("npm test", List.of(), modified("package.json")).findings())
                .as("what cannot be read cannot be shown unchanged")
                .hasSize(1);
    }

    @Test
    void pyprojectAndSetupCfgArePinnedInTheirTestAndCoverageSections() {
        base.put(
                "pyproject.toml",
                "[project]\nname = \"x\"\ndependencies = [\"a==1\"]\n\n[tool.pytest.ini_options]\naddopts = \"-q\"\n"
                        + "\n[tool.coverage.report]\nfail_under = 90\n");
        patched.put("pyproject.toml", base.get("pyproject.toml").replace("a==1", "a==2"));
        assertThat(check("pytest", List.of(), modified("pyproject.toml")).findings())
                .isEmpty();

        patched.put("pyproject.toml", base.get("pyproject.toml").replace("fail_under = 90", "fail_under = 10"));
        assertThat(check("pytest", List.of(), modified("pyproject.toml")).findings())
                .singleElement()
                .extracting(HarnessFinding::role)
                .isEqualTo("the test and coverage sections of pyproject.toml");

        base.put("setup.cfg", "[metadata]\nname = x\n\n[coverage:run]\nomit = \n");
        patched.put("setup.cfg", "[metadata]\nname = x\n\n[coverage:run]\nomit = src/*\n");
        assertThat(check("pytest", List.of(), modified("setup.cfg")).findings()).hasSize(1);
        patched.put("setup.cfg", "[metadata]\nname = y\n\n# a comment\n[coverage:run]\nomit = \n");
        assertThat(check("pytest", List.of(), modified("setup.cfg")).findings()).isEmpty();
    }

    @Test
    void anUnparseableTestCommandFailsClosed() {
        assertThatThrownBy(() -> check("sh 'unterminated", List.of(), modified("src/greeting.txt")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot parse the test command");
    }

    @Test
    void noTestCommandStillPinsByName() {
        assertThat(check(null, List.of(), modified("Makefile")).findings()).hasSize(1);
        assertThat(check(null, List.of(), modified("test.sh")).findings()).isEmpty();
    }

    @Test
    void scriptsThatRunEachOtherAreFollowedOnlyAsFarAsTheBound() {
        for (int i = 0; i < 10; i++) {
            base.put("s" + i + ".sh", "sh s" + (i + 1) + ".sh\n");
        }
        patched.putAll(base);

        HarnessCheck.Result deep = check("sh s0.sh", List.of(), modified("s4.sh"), modified("s9.sh"));

        assertThat(deep.findings()).extracting(HarnessFinding::path).containsExactly("s4.sh");
    }

    private void edit(String path) {
        patched.put(path, base.getOrDefault(path, "") + "# changed\n");
    }

    private static FileChange modified(String path) {
        return new FileChange(path, path, ChangeType.MODIFIED, null, null, false, List.of());
    }

    private static FileChange added(String path) {
        return new FileChange(null, path, ChangeType.ADDED, null, "100644", false, List.of());
    }

    private HarnessCheck.Result check(String command, List<String> globs, FileChange... changes) {
        Tree baseTree = path -> Optional.ofNullable(base.get(path));
        Tree patchedTree = path -> Optional.ofNullable(patched.get(path));
        return new HarnessCheck(command, globs).check(new Diff(List.of(changes)), baseTree, patchedTree);
    }
}
