package dev.loopline.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.schemas.spec.LoopSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecFormatsTest {

    @TempDir
    Path dir;

    private final SpecRepository repository = new SpecRepository();

    static Path copyResource(String resource, Path to) throws IOException {
        try (InputStream in = SpecFormatsTest.class.getResourceAsStream("/formats/" + resource)) {
            Files.createDirectories(to.getParent());
            Files.copy(Objects.requireNonNull(in, resource), to);
        }
        return to;
    }

    private Path publishedRegistry() throws IOException {
        copyResource("loop-engineering/gate.yaml", dir.resolve("gate.yaml"));
        return copyResource("loop-engineering/registry.yaml", dir.resolve("registry.yaml"));
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    // --- loop-engineering registry.yaml as published -------------------------------------------------

    @Test
    void readsEveryPatternOfThePublishedRegistryWithoutErrors() throws IOException {
        SpecLoadResult result = repository.load(publishedRegistry());

        assertThat(result.problems()).isEmpty();
        assertThat(result.specs())
                .extracting(s -> s.spec().id())
                .containsExactly(
                        "pr-babysitter",
                        "daily-triage",
                        "ci-sweeper",
                        "post-merge-cleanup",
                        "dependency-sweeper",
                        "changelog-drafter",
                        "issue-triage");
        assertThat(result.specs()).allSatisfy(s -> {
            assertThat(s.format()).isEqualTo(SpecFormat.LOOP_ENGINEERING);
            assertThat(s.hash()).matches("[0-9a-f]{64}");
        });
    }

    @Test
    void mapsAPublishedPatternOntoTheModel() throws IOException {
        SpecLoadResult result = repository.load(publishedRegistry());

        LoadedSpec ci = result.find("ci-sweeper").orElseThrow();
        LoopSpec spec = ci.spec();
        assertThat(ci.source()).isEqualTo("$.patterns[2]");
        assertThat(spec.name()).isEqualTo("CI Sweeper");
        assertThat(spec.kind()).isEqualTo(LoopSpec.Kind.ASSISTED_FIX);
        assertThat(spec.level()).isEqualTo(LoopSpec.Level.L2);
        assertThat(spec.cadence()).isEqualTo("5m-15m");
        assertThat(spec.priority()).isEqualTo(100);
        assertThat(spec.task()).isEqualTo("React to failing CI with minimal fixes and escalation");
        assertThat(spec.maker().type()).isEqualTo("claude-code");
        assertThat(spec.target().repo()).isEqualTo(dir.toString());
        assertThat(spec.target().baseRefOrDefault()).isEqualTo("main");
        assertThat(spec.budget().tokensPerRun()).isEqualTo(200_000L);
        assertThat(spec.budget().dailyTokens()).isEqualTo(1_000_000L);
        assertThat(spec.cost()).isEqualTo(new LoopSpec.Cost(5_000L, 50_000L, 200_000L));
        assertThat(spec.allowlist().deny()).contains(".env", "**/secrets/**", "deploy/**");
        assertThat(spec.allowlist().allow()).contains("apps/web/src/**", "server/tests/**");
        assertThat(spec.allowlist().maxFiles()).isEqualTo(12);
        assertThat(ci.attributes()).containsEntry("risk", "medium");
        assertThat(ci.attributes().get("human_gates"))
                .isEqualTo(List.of("infra-failures", "max-attempts", "security-tests"));
    }

    @Test
    void reportOnlyPatternsBecomeReportLoopsAndRiskSetsPriority() throws IOException {
        SpecLoadResult result = repository.load(publishedRegistry());

        LoopSpec changelog = result.find("changelog-drafter").orElseThrow().spec();
        assertThat(changelog.kind()).isEqualTo(LoopSpec.Kind.REPORT);
        assertThat(changelog.level()).isEqualTo(LoopSpec.Level.L1);
        assertThat(changelog.priority()).isEqualTo(50);
    }

    @Test
    void stableFractionIsAcceptedWithAWarningOnEveryPattern() throws IOException {
        SpecLoadResult result = repository.load(publishedRegistry());

        assertThat(result.warnings())
                .filteredOn(w -> w.field().endsWith(".cost.stable_fraction"))
                .hasSize(7)
                .allSatisfy(w -> assertThat(w.message()).contains("newer registry field"));
    }

    @Test
    void rangesWrittenLongestFirstAreNormalisedWithAWarning() throws IOException {
        SpecLoadResult result = repository.load(publishedRegistry());

        assertThat(result.find("daily-triage").orElseThrow().spec().cadence()).isEqualTo("2h-1d");
        assertThat(result.find("post-merge-cleanup").orElseThrow().spec().cadence())
                .isEqualTo("6h-1d");
        assertThat(result.find("dependency-sweeper").orElseThrow().spec().cadence())
                .isEqualTo("6h-1d");
        assertThat(result.warnings())
                .filteredOn(w -> w.field().endsWith(".cadence"))
                .extracting(SpecProblem::field)
                .containsExactly("$.patterns[1].cadence", "$.patterns[3].cadence");
    }

    @Test
    void withoutAGateFileRegistryPatternsHaveNoAllowlist() throws IOException {
        copyResource("loop-engineering/registry.yaml", dir.resolve("registry.yaml"));

        SpecLoadResult result = repository.load(dir);

        assertThat(result.problems()).isEmpty();
        assertThat(result.specs())
                .hasSize(7)
                .allSatisfy(s -> assertThat(s.spec().allowlist()).isNull());
    }

    @Test
    void aConfiguredDefaultRepoIsTheTargetOfRegistryPatterns() throws IOException {
        Path registry = publishedRegistry();

        SpecLoadResult result = new SpecRepository(new SpecReaders("/srv/repos/app")).load(registry);

        assertThat(result.specs())
                .allSatisfy(s -> assertThat(s.spec().target().repo()).isEqualTo("/srv/repos/app"));
    }

    @Test
    void theRegistryRepoIsTheEnclosingGitRepository() throws IOException {
        Files.createDirectories(dir.resolve(".git"));
        Path nested = dir.resolve("loops/registry.yaml");
        copyResource("loop-engineering/registry.yaml", nested);

        SpecLoadResult result = repository.load(nested);

        assertThat(result.specs().get(0).spec().target().repo()).isEqualTo(dir.toString());
    }

    static Stream<Arguments> brokenPatterns() {
        return Stream.of(
                Arguments.of("id: Not_Kebab", "$.patterns[1].id", "pattern"),
                Arguments.of("cadence: daily", "$.patterns[1].cadence", "pattern"),
                Arguments.of("risk: extreme", "$.patterns[1].risk", "low"),
                Arguments.of("week_one_mode: L5", "$.patterns[1].week_one_mode", "L1"),
                Arguments.of(
                        "cost: {tokens_noop: lots, tokens_report: 2000, tokens_action: 3000,"
                                + " suggested_daily_cap: 20000, early_exit_required: true}",
                        "$.patterns[1].cost.tokens_noop",
                        "integer"));
    }

    @ParameterizedTest
    @MethodSource("brokenPatterns")
    void anInvalidPatternIsReportedWithItsPathAndTheOthersStillLoad(String field, String path, String expected)
            throws IOException {
        String second = "  - {id: second, name: Second, file: second.md, goal: Second pattern goal,"
                + " cadence: 1h, risk: low, tools: [claude-code], skills: [s1], state: s.md,"
                + " phases: [scan, fix], human_gates: [auth]}\n";
        String key = field.substring(0, field.indexOf(':'));
        String broken = second.replaceFirst(key + ": [^,}]+", field.replace("$", "\\$"));
        if (!broken.contains(field)) {
            broken = second.replace("human_gates: [auth]}", "human_gates: [auth], " + field + "}");
        }
        Path registry = write(
                "registry.yaml",
                "patterns:\n"
                        + "  - {id: first, name: First, file: first.md, goal: First pattern goal,"
                        + " cadence: 1d, risk: low, tools: [grok], skills: [s1], state: s.md,"
                        + " phases: [scan, report], human_gates: [auth]}\n"
                        + broken);

        SpecLoadResult result = repository.load(registry);

        assertThat(result.specs()).extracting(s -> s.spec().id()).containsExactly("first");
        assertThat(result.problems()).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo(registry.toString());
            assertThat(p.field()).isEqualTo(path);
            assertThat(p.message()).containsIgnoringCase(expected);
        });
    }

    @Test
    void missingRequiredFieldsLoopLineDoesNotNeedAreWarnings() throws IOException {
        Path registry = write(
                "registry.yaml",
                "patterns:\n  - {id: bare, cadence: 1h, tools: [claude-code, jules], extra: 1}\n  - {name: No id}\n");

        SpecLoadResult result = repository.load(registry);

        assertThat(result.specs()).extracting(s -> s.spec().id()).containsExactly("bare");
        assertThat(result.warnings())
                .extracting(SpecProblem::field)
                .contains(
                        "$.patterns[0].name",
                        "$.patterns[0].phases",
                        "$.patterns[0].human_gates",
                        "$.patterns[0].extra",
                        "$.patterns[0].tools[1]");
        assertThat(result.problems()).singleElement().satisfies(p -> assertThat(p.field())
                .isEqualTo("$.patterns[1].id"));
    }

    @Test
    void aBrokenGateFileIsReportedAndNoPatternGetsAnAllowlist() throws IOException {
        copyResource("loop-engineering/registry.yaml", dir.resolve("registry.yaml"));
        Path gate = write("gate.yaml", "denylist: .env\nmaxFiles: many\nautoMergeAllowlist: ['src/**']\nfoo: 1\n");

        SpecLoadResult result = repository.load(dir);

        assertThat(result.specs())
                .hasSize(7)
                .allSatisfy(s -> assertThat(s.spec().allowlist()).isNull());
        assertThat(result.problems())
                .extracting(SpecProblem::file, SpecProblem::field)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(gate.toString(), "$.denylist"),
                        org.assertj.core.groups.Tuple.tuple(gate.toString(), "$.maxFiles"));
        assertThat(result.warnings()).anySatisfy(w -> assertThat(w.field()).isEqualTo("$.foo"));
    }

    // --- Strive loop.json ------------------------------------------------------------------------------

    @Test
    void readsAStriveAssistedFixLoop() throws IOException {
        Path spec = copyResource("strive/loop.json", dir.resolve("specs/loop.json"));

        SpecLoadResult result = repository.load(spec);

        assertThat(result.problems()).isEmpty();
        LoadedSpec loaded = result.specs().get(0);
        LoopSpec s = loaded.spec();
        assertThat(loaded.format()).isEqualTo(SpecFormat.STRIVE);
        assertThat(s.kind()).isEqualTo(LoopSpec.Kind.ASSISTED_FIX);
        assertThat(s.level()).isEqualTo(LoopSpec.Level.L3);
        assertThat(s.priority()).isEqualTo(20);
        assertThat(s.target().repo()).isEqualTo(dir.resolve("sample-repo").toString());
        assertThat(s.target().baseRef()).isEqualTo("trunk");
        assertThat(s.test().command()).isEqualTo("python -m pytest -q");
        assertThat(s.maker().type()).isEqualTo("openai");
        assertThat(s.maker().baseUrl()).isEqualTo("https://integrate.api.nvidia.com/v1");
        assertThat(s.maker().apiKeyEnv()).isEqualTo("NVIDIA_API_KEY");
        assertThat(s.allowlist()).isEqualTo(new LoopSpec.Allowlist(List.of("src/**"), List.of("src/auth/**"), 3, 120));
        assertThat(s.budget()).isEqualTo(new LoopSpec.Budget(60_000L, null, 2, 900));
        assertThat(loaded.attributes()).containsEntry("state_file", "state.json");
    }

    @Test
    void readsAStriveTriageLoopWithItsRefs() throws IOException {
        Path spec = copyResource("strive/triage.json", dir.resolve("triage.json"));

        LoopSpec s = repository.load(spec).specs().get(0).spec();

        assertThat(s.kind()).isEqualTo(LoopSpec.Kind.TRIAGE);
        assertThat(s.target().refs()).containsExactly("main", "release/1.x");
        assertThat(s.target().baseRefOrDefault()).isEqualTo("main");
    }

    @Test
    void aStriveMakerCommandBecomesAShellMaker() throws IOException {
        Path spec = write(
                "fix.json",
                "{\"id\":\"fix\",\"kind\":\"assisted-fix\",\"phase\":\"L2\",\"task\":\"t\",\"test_command\":\"make test\","
                        + "\"maker_command\":\"./fix.sh\",\"target\":{\"repo\":\"/r\"},\"budget\":{}}");

        LoopSpec s = repository.load(spec).specs().get(0).spec();

        assertThat(s.maker()).isEqualTo(new LoopSpec.Maker("shell", null, "./fix.sh", null, null));
    }

    static Stream<Arguments> brokenStriveLoops() {
        String valid = "\"id\":\"x\",\"kind\":\"assisted-fix\",\"phase\":\"L2\",\"task\":\"t\","
                + "\"test_command\":\"make test\",\"target\":{\"repo\":\"/r\"}";
        return Stream.of(
                Arguments.of(
                        "wrong type",
                        "{" + valid + ",\"budget\":{\"max_tokens\":\"many\"}}",
                        "$.budget.max_tokens",
                        "integer"),
                Arguments.of("unknown key", "{" + valid + ",\"budget\":{},\"schedule\":\"1h\"}", "$.schedule", "not"),
                Arguments.of("missing required", "{" + valid + "}", "$.budget", "required"),
                Arguments.of(
                        "phase out of range", "{" + valid.replace("L2", "L4") + ",\"budget\":{}}", "$.phase", "L0"),
                Arguments.of(
                        "assisted-fix without test_command",
                        "{" + valid.replace(",\"test_command\":\"make test\"", "") + ",\"budget\":{}}",
                        "$.test_command",
                        "required"),
                Arguments.of(
                        "triage without refs",
                        "{\"id\":\"t\",\"kind\":\"git-commit-triage\",\"phase\":\"L1\",\"target\":{\"repo\":\"/r\"},\"budget\":{}}",
                        "$.target.refs",
                        "required"),
                Arguments.of(
                        "id Loopline cannot use",
                        "{" + valid.replace("\"x\"", "\"Bad Id\"") + ",\"budget\":{}}",
                        "$.id",
                        "pattern"),
                Arguments.of(
                        "cadence Loopline cannot use",
                        "{" + valid + ",\"cadence\":\"hourly\",\"budget\":{}}",
                        "$.cadence",
                        "pattern"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenStriveLoops")
    void aBrokenStriveLoopNamesFileAndFieldWhileOthersLoad(String name, String json, String field, String expected)
            throws IOException {
        copyResource("strive/triage.json", dir.resolve("a-good.json"));
        Path bad = write("b-bad.json", json);

        SpecLoadResult result = repository.load(dir);

        assertThat(result.specs()).extracting(s -> s.spec().id()).containsExactly("commit-triage");
        assertThat(result.problems()).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo(bad.toString());
            assertThat(p.field()).isEqualTo(field);
            assertThat(p.message()).containsIgnoringCase(expected);
        });
    }

    // --- all formats together ----------------------------------------------------------------------------

    @Test
    void aDirectoryMixesFormatsAndGateYamlIsNotASpecOfItsOwn() throws IOException {
        publishedRegistry();
        copyResource("strive/loop.json", dir.resolve("loop.json"));
        write("native.yaml", "{id: native-loop, kind: report, level: L1, target: {repo: /tmp/r}}");

        SpecLoadResult result = repository.load(dir);

        assertThat(result.problems()).isEmpty();
        assertThat(result.specs()).hasSize(9);
        assertThat(result.specs())
                .extracting(LoadedSpec::format)
                .containsOnly(SpecFormat.NATIVE, SpecFormat.LOOP_ENGINEERING, SpecFormat.STRIVE);
    }

    @Test
    void aLoopIdDefinedInTwoFormatsKeepsTheFirst() throws IOException {
        write("a.yaml", "{id: daily-triage, kind: report, level: L1, target: {repo: /tmp/r}}");
        publishedRegistry();

        SpecLoadResult result = repository.load(dir);

        assertThat(result.find("daily-triage").orElseThrow().format()).isEqualTo(SpecFormat.NATIVE);
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("$.patterns[1].id");
            assertThat(p.message()).contains("duplicate");
        });
    }

    @Test
    void theSameLoopHasTheSameHashInEveryFormat() throws IOException {
        Path nativeSpec = write(
                "n.yaml",
                "{id: same, kind: triage, level: L1, cadence: 1h, target: {repo: /r, baseRef: main, refs: [main]},"
                        + " budget: {tokensPerRun: 5000}}");
        Path strive = write(
                "s.json",
                "{\"id\":\"same\",\"kind\":\"git-commit-triage\",\"phase\":\"L1\",\"cadence\":\"1h\","
                        + "\"target\":{\"repo\":\"/r\",\"refs\":[\"main\"]},\"budget\":{\"max_tokens\":5000}}");

        assertThat(repository.load(nativeSpec).specs().get(0).hash())
                .isEqualTo(repository.load(strive).specs().get(0).hash());
    }

    @Test
    void validatingAGateFileDirectlyExplainsItIsPartOfTheRegistry() throws IOException {
        Path gate = copyResource("loop-engineering/gate.yaml", dir.resolve("gate.yaml"));

        assertThat(repository.load(gate).problems()).singleElement().satisfies(p -> assertThat(p.message())
                .contains("registry.yaml"));
    }
}
