package dev.loopline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.core.spec.SpecRepository;
import dev.loopline.schemas.json.Json;
import dev.loopline.schemas.spec.LoopSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecVerbsTest {

    @TempDir
    Path dir;

    private Path registry;

    private record Run(int exitCode, String out, String err) {}

    @BeforeEach
    void files() throws IOException {
        Path le = Files.createDirectories(dir.resolve("le"));
        for (String f : new String[] {"registry.yaml", "gate.yaml"}) {
            try (InputStream in = getClass().getResourceAsStream("/formats/loop-engineering/" + f)) {
                Files.copy(Objects.requireNonNull(in), le.resolve(f));
            }
        }
        registry = le.resolve("registry.yaml");
        Path specs = Files.createDirectories(dir.resolve("specs"));
        Files.writeString(
                specs.resolve("docs.yaml"),
                """
                id: docs-fix
                kind: assisted-fix
                level: L3
                cadence: 30m
                target: {repo: ../repo}
                test: {command: ./test.sh}
                maker: {type: mock}
                allowlist: {allow: ["docs/**"], maxFiles: 3}
                budget: {tokensPerRun: 50000, dailyTokens: 400000, maxAttempts: 2}
                """);
        Files.writeString(
                specs.resolve("loop.json"),
                """
                {"id": "strive-fix", "kind": "assisted-fix", "phase": "L3", "cadence": "1h", "priority": 5,
                 "task": "fix it", "test_command": "make test", "maker_command": "./fix.sh",
                 "target": {"repo": "/srv/app"}, "budget": {"max_tokens": 10000, "max_iterations": 1}}
                """);
        Files.writeString(
                specs.resolve("broken.json"), "{\"id\": \"b\", \"kind\": \"git-commit-triage\", \"phase\": 3}");
        Files.writeString(
                specs.resolve("typo.yaml"), "{id: t, kind: report, level: L1, target: {repo: /r}, cadense: 1d}");
    }

    private Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = LooplineCommand.commandLine().execute(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private String p(String relative) {
        return dir.resolve(relative).toString();
    }

    static Stream<Arguments> exitCodes() {
        return Stream.of(
                // verb, args relative to the temp dir ('@' = path), exit code, text in stdout+stderr
                Arguments.of("list registry dir", new String[] {"list", "@le"}, 0, "pr-babysitter"),
                Arguments.of("list mixed dir with broken specs", new String[] {"list", "@specs"}, 1, "invalid"),
                Arguments.of("list missing dir", new String[] {"list", "@nope"}, 64, "no such file"),
                Arguments.of("validate registry", new String[] {"validate", "@le/registry.yaml"}, 0, "warning"),
                Arguments.of("validate broken strive", new String[] {"validate", "@specs/broken.json"}, 1, "$.phase"),
                Arguments.of("validate typo", new String[] {"validate", "@specs/typo.yaml"}, 1, "cadense"),
                Arguments.of("validate missing", new String[] {"validate", "@nope.yaml"}, 64, "no such file"),
                Arguments.of("plan registry loop", new String[] {"plan", "@le", "ci-sweeper"}, 0, "not ready for L2"),
                Arguments.of("plan unknown loop", new String[] {"plan", "@le", "nope"}, 64, "no valid loop 'nope'"),
                Arguments.of("plan bad level", new String[] {"plan", "@le", "ci-sweeper", "--level", "L9"}, 64, "L9"),
                Arguments.of("plan missing loop arg", new String[] {"plan"}, 64, "<loop>"),
                Arguments.of("audit ready native", new String[] {"audit", "@specs/docs.yaml"}, 0, "ready for L3"),
                Arguments.of("audit ready strive", new String[] {"audit", "@specs/loop.json"}, 1, "allowlist"),
                Arguments.of(
                        "audit registry not ready",
                        new String[] {"audit", "@le/registry.yaml", "ci-sweeper"},
                        1,
                        "NOT READY"),
                Arguments.of(
                        "audit registry L1 pattern",
                        new String[] {"audit", "@le/registry.yaml", "daily-triage"},
                        0,
                        "ready for L1"),
                Arguments.of("audit invalid spec", new String[] {"audit", "@specs/broken.json"}, 1, "invalid"),
                Arguments.of(
                        "cost within caps",
                        new String[] {"cost", "@le/registry.yaml", "daily-triage"},
                        0,
                        "exceeds the daily cap"),
                Arguments.of("cost over per-run cap", new String[] {"cost", "@specs/docs.yaml"}, 1, "OVER PER-RUN CAP"),
                Arguments.of("cost unknown loop", new String[] {"cost", "@le", "nope"}, 64, "no valid loop"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exitCodes")
    void verbsExitWithTheDocumentedCodes(String name, String[] args, int exitCode, String text) {
        String[] resolved = Stream.of(args)
                .map(a -> a.startsWith("@") ? p(a.substring(1)) : a)
                .toArray(String[]::new);

        Run run = run(resolved);

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(exitCode);
        assertThat(run.out() + run.err()).contains(text);
    }

    @Test
    void listShowsEveryFormatAndNamesTheBrokenFiles() {
        Run run = run("list", p("specs"));

        assertThat(run.out())
                .containsPattern("docs-fix +default +assisted-fix +L3 +30m +loopline")
                .containsPattern("strive-fix +default +assisted-fix +L3 +1h +strive")
                .contains("invalid  " + p("specs/broken.json") + ": $.phase")
                .contains("invalid  " + p("specs/typo.yaml") + ": $.cadense");
    }

    @Test
    void validateReportsRegistryDriftAsWarnings() {
        Run run = run("validate", p("le"));

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("ok       daily-triage  (loop-engineering, " + registry + " $.patterns[1])")
                .contains("warning  " + registry + ": $.patterns[1].cadence: range written longest-first")
                .contains("$.patterns[6].cost.stable_fraction")
                .doesNotContain("invalid");
    }

    @Test
    void planPrintsCadenceCapsPolicyAndAllowlist() {
        Run run = run("plan", p("specs"), "docs-fix");

        assertThat(run.out())
                .contains("level      L3 unattended")
                .contains("cadence    30m  (48.0 runs/day)")
                .contains("caps       tokens/run 50000, tokens/day 400000, attempts 2")
                .contains("allow      [docs/**]")
                .contains("**/.env")
                .contains("report-only from 320000 tokens today, halt at 400000");
    }

    @Test
    void planAtALowerLevelAsJson() throws IOException {
        Run run = run("plan", p("specs"), "docs-fix", "--level", "L2", "--json");

        JsonNode plan = Json.mapper().readTree(run.out());
        assertThat(plan.path("effective").asText()).isEqualTo("L2");
        assertThat(plan.path("policy").path("mode").asText()).isEqualTo("propose");
        assertThat(plan.path("policy").path("humanApproval").asBoolean()).isTrue();
        assertThat(plan.has("allowlist")).isFalse();
    }

    @Test
    void auditJsonListsMissingPiecesPerLoop() throws IOException {
        Run run = run("audit", p("le/registry.yaml"), "--json");

        JsonNode audits = Json.mapper().readTree(run.out());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(audits).hasSize(7);
        JsonNode ci = audits.get(2);
        assertThat(ci.path("loop").asText()).isEqualTo("ci-sweeper");
        assertThat(ci.path("readyFor").asText()).isEqualTo("L1");
        assertThat(ci.path("missing").get(0).asText()).startsWith("verifier: set test.command");
    }

    @Test
    void costJsonHasTheThreeScenarios() throws IOException {
        Run run = run("cost", p("le/registry.yaml"), "pr-babysitter", "--json");

        JsonNode cost = Json.mapper().readTree(run.out()).get(0);
        assertThat(cost.path("estimateSource").asText()).isEqualTo("spec");
        assertThat(cost.path("runsPerDayMax").asDouble()).isEqualTo(288.0);
        assertThat(cost.path("scenarios").get(0).path("tokensPerRun").asLong()).isEqualTo(3_000L);
        assertThat(cost.path("scenarios").get(2).path("name").asText()).isEqualTo("action-every-run");
    }

    static Stream<Arguments> initCases() {
        return Stream.of(
                Arguments.of("report", "L1", "ready for L1"),
                Arguments.of("triage", "L0", "ready for L1"),
                Arguments.of("assisted-fix", "L2", "ready for L2"),
                Arguments.of("assisted-fix", "L3", "ready for L3"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("initCases")
    void initWritesASchemaValidScaffoldReadyForItsLevel(String kind, String level, String ready) {
        Run run = run("init", "my-loop", "--kind", kind, "--level", level, "--out", p("new"));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains(ready);
        var loaded = new SpecRepository().load(dir.resolve("new/my-loop.yaml"));
        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.specs().get(0).spec().level().name()).isEqualTo(level);
        assertThat(run("audit", p("new/my-loop.yaml")).exitCode()).isZero();
    }

    static Stream<String> makerTypes() {
        return LoopSpec.Maker.TYPES.stream();
    }

    @ParameterizedTest
    @MethodSource("makerTypes")
    void initScaffoldsAnAssistedFixWithAMakerTheAgentRuns(String type) throws IOException {
        Run run = run("init", "fix-it", "--kind", "assisted-fix", "--level", "L2", "--maker", type, "--out", p("new"));

        assertThat(run.exitCode()).as(run.err()).isZero();
        var loaded = new SpecRepository().load(dir.resolve("new/fix-it.yaml"));
        assertThat(loaded.problems()).isEmpty();
        LoopSpec.Maker maker = loaded.specs().get(0).spec().maker();
        // LoopSpec.Maker.TYPES is the schema's enum, and agent-service's MakersTest holds it to a maker per type
        assertThat(maker.type()).isEqualTo(type).isIn(LoopSpec.Maker.TYPES);
        switch (type) {
            case "claude-code", "anthropic", "openai" -> assertThat(maker.model())
                    .isNotBlank();
            case "shell" -> assertThat(maker.command()).isNotBlank();
            case "mock" -> assertThat(maker.edits()).isNotEmpty();
            default -> throw new AssertionError("no expectation for maker type " + type);
        }
        assertThat(Files.readString(dir.resolve("new/fix-it.yaml"))).contains("# maker: ");
        assertThat(run("validate", p("new/fix-it.yaml")).exitCode()).isZero();
    }

    @Test
    void initGivesAnAssistedFixTheClaudeCodeMakerWithAModelByDefault() throws IOException {
        Run run = run("init", "fix-it", "--kind", "assisted-fix", "--out", p("new"));

        assertThat(run.exitCode()).as(run.err()).isZero();
        LoopSpec.Maker maker = new SpecRepository()
                .load(dir.resolve("new/fix-it.yaml"))
                .specs()
                .get(0)
                .spec()
                .maker();
        assertThat(maker.type()).isEqualTo("claude-code");
        assertThat(maker.model()).isEqualTo("claude-sonnet-4-5");
        assertThat(maker.maxTurns()).isEqualTo(20);
        assertThat(Files.readString(dir.resolve("new/fix-it.yaml")))
                .contains("ANTHROPIC_API_KEY")
                .contains("--maker mock");
    }

    @Test
    void initNeverOverwritesWithoutForce() throws IOException {
        Path existing = Files.createDirectories(dir.resolve("new")).resolve("my-loop.yaml");
        Files.writeString(existing, "keep me");

        Run refused = run("init", "my-loop", "--kind", "report", "--out", p("new"));
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("already exists").contains("--force");
        assertThat(Files.readString(existing)).isEqualTo("keep me");

        Run forced = run("init", "my-loop", "--kind", "report", "--out", p("new"), "--force");
        assertThat(forced.exitCode()).isZero();
        assertThat(Files.readString(existing)).contains("id: my-loop");
    }

    static Stream<Arguments> initUsageErrors() {
        return Stream.of(
                Arguments.of((Object) new String[] {"init", "", "--kind", "report"}),
                Arguments.of((Object) new String[] {"init", "Bad_Id", "--kind", "report"}),
                Arguments.of((Object) new String[] {"init", "ok-id"}),
                Arguments.of((Object) new String[] {"init", "ok-id", "--kind", "weird"}),
                Arguments.of((Object) new String[] {"init", "ok-id", "--kind", "report", "--level", "L3"}),
                Arguments.of((Object) new String[] {"init", "ok-id", "--kind", "report", "--maker", "mock"}),
                Arguments.of((Object) new String[] {"init", "ok-id", "--kind", "assisted-fix", "--maker", "codex"}));
    }

    @ParameterizedTest
    @MethodSource("initUsageErrors")
    void initUsageErrorsExit64AndWriteNothing(String[] args) throws IOException {
        String[] withOut =
                Stream.concat(Stream.of(args), Stream.of("--out", p("new"))).toArray(String[]::new);

        assertThat(run(withOut).exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(Files.exists(dir.resolve("new"))).isFalse();
    }
}
