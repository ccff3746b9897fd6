package dev.loopline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged launchers as a user runs them, from a temporary directory that is not the repository: the repository's
 * {@code ./loopline} script and the distribution's {@code bin/loopline} (unpacked from
 * {@code target/loopline-dist.tar.gz}). Real processes, real git repositories, the real published registry.yaml.
 */
class LauncherIT {

    /** The module directory (Maven runs tests there); the repository is its parent. */
    static final Path MODULE = Path.of("").toAbsolutePath();

    static final Path REPO_LAUNCHER = MODULE.getParent().resolve("loopline");

    @TempDir
    Path temp;

    private Path cwd;
    private Path dist;

    record Run(int exitCode, String out, String err) {}

    @BeforeEach
    void unpack() throws Exception {
        cwd = Files.createDirectories(temp.resolve("work"));
        Path unpacked = Files.createDirectories(temp.resolve("dist"));
        Path tarball = MODULE.resolve("target/loopline-dist.tar.gz");
        assertThat(tarball).exists();
        exec(unpacked, List.of("tar", "-xzf", tarball.toString()));
        dist = unpacked.resolve("loopline/bin/loopline");
        assertThat(Files.isExecutable(dist)).isTrue();
    }

    @Test
    void specVerbsReadRelativePathsFromTheCallersDirectoryWithoutNoise() throws Exception {
        copyRegistry(cwd);

        for (Path launcher : List.of(REPO_LAUNCHER, dist)) {
            Run validate = run(launcher, "validate", "registry.yaml");
            assertThat(validate.exitCode()).as(validate.err()).isZero();
            assertThat(validate.out()).contains("ok       daily-triage  (loop-engineering, registry.yaml");
            assertThat(validate.err()).isEmpty();

            Run list = run(launcher, "list");
            assertThat(list.exitCode()).as(list.err()).isZero();
            assertThat(list.out())
                    .contains("daily-triage")
                    .contains("ci-sweeper")
                    .doesNotContain("registry.schema.json");
            assertThat(list.err()).isEmpty();

            Run plan = run(launcher, "plan", "daily-triage", "--level", "L1");
            assertThat(plan.exitCode()).as(plan.err()).isZero();
            assertThat(plan.out()).contains("loop       daily-triage").contains("level      L1 report-only");
            assertThat(plan.err()).isEmpty();

            Run earlierForm = run(launcher, "plan", ".", "ci-sweeper");
            assertThat(earlierForm.exitCode()).as(earlierForm.err()).isZero();
            assertThat(earlierForm.out()).contains("loop       ci-sweeper");
        }
    }

    @Test
    void missingFilesAreNamedWithANonZeroExit() throws Exception {
        Run validate = run(dist, "validate", "nope.yaml");
        assertThat(validate.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(validate.err()).contains("nope.yaml: no such file or directory");

        Run list = run(REPO_LAUNCHER, "list", "--specs", "elsewhere");
        assertThat(list.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(list.err()).contains("elsewhere: no such file or directory");

        Run empty = run(dist, "plan", "daily-triage");
        assertThat(empty.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(empty.err())
                .contains("no loop specs in the current directory")
                .contains("--specs");

        Run notARepo = run(dist, "verify", ".", "abc1234");
        assertThat(notARepo.exitCode()).isEqualTo(ExitCodes.UNVERIFIABLE);
    }

    @Test
    void dryRunOfThePublishedRegistryWritesNothingToTheTarget() throws Exception {
        Path target = gitRepo(temp.resolve("project"));
        copyRegistry(target);
        commitAll(target, "add the loop registry");
        String before = snapshot(target);

        // loop-runtime's headline command, as its users type it
        Run run = run(dist, "run", "daily-triage", "--level", "L2", "--dry-run", "--specs", "../project/registry.yaml");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                // the header says what claude-code lacks here: its CLI, or ANTHROPIC_API_KEY
                .containsPattern(
                        "Running 1 tick\\(s\\) of Daily Triage \\[L2\\] via mock maker \\(in place of the spec's"
                                + " claude-code maker: .*(Claude Code CLI|ANTHROPIC_API_KEY).*\\) \\(dry-run\\)")
                .contains("  worktree  main at ")
                .contains("  maker     mock maker: appended to loopline-run/daily-triage.md")
                .contains("  checker   escalate — no test command; a human must verify L2 changes")
                .contains("  gate      escalated: no test command")
                .contains("tick 1: escalated (escalate) — 0 tokens")
                .contains("Budget: 0 / 100,000 tokens spent today.")
                .contains("State: not written (dry run).");
        assertThat(run.err()).isEmpty();
        assertThat(snapshot(target)).isEqualTo(before);
        try (Stream<Path> left = Files.list(cwd)) {
            assertThat(left).as("a dry run writes nothing where it is run").isEmpty();
        }
    }

    @Test
    void dryRunOfAStriveLoopJsonTestsTheChangeAndWritesNothingToTheTarget() throws Exception {
        Path target = gitRepo(temp.resolve("sample-repo"));
        Files.writeString(target.resolve("test.sh"), "#!/bin/sh\ntest -f README.md\n");
        commitAll(target, "tests");
        String before = snapshot(target);
        Path loops = Files.createDirectories(cwd.resolve("loops"));
        Files.writeString(
                loops.resolve("docs.loop.json"),
                """
                {"id": "strive-docs", "kind": "assisted-fix", "phase": "L3", "priority": 20, "cadence": "30m",
                 "task": "Keep the notes current.", "test_command": "sh test.sh",
                 "maker": {"type": "nvidia", "model": "nemotron-70b"},
                 "allowlist": {"allow_globs": ["loopline-run/**"], "max_files": 3, "max_lines": 50},
                 "target": {"repo": "../../sample-repo", "base_ref": "main"},
                 "budget": {"max_tokens": 60000, "max_iterations": 2}}
                """);

        Run run = run(dist, "run", "strive-docs", "--dry-run");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("[L3] via mock maker (in place of the spec's openai maker: set NVIDIA_API_KEY to run it"
                        + " here) (dry-run)")
                .contains("  checker   accept — tests passed (sandbox: bubblewrap")
                .contains("  gate      merged (dry run: would fast-forward main of ")
                .contains("gate would fast-forward main");
        assertThat(snapshot(target)).isEqualTo(before);
        try (Stream<Path> left = Files.list(cwd)) {
            assertThat(left).containsExactly(loops);
        }
    }

    @Test
    void theDistributionShipsTheCompletionTheBuildGeneratedFromTheCommandTree() throws Exception {
        Path shipped = dist.getParent().getParent().resolve("completion/loopline.bash");

        assertThat(shipped).exists();
        assertThat(shipped)
                .content()
                .contains("complete -F _complete_loopline -o default loopline")
                .contains("'--maker' '--maker-timeout'");
        Run generated = run(dist, "generate-completion");
        assertThat(generated.exitCode()).isZero();
        assertThat(generated.out().strip()).isEqualTo(Files.readString(shipped).strip());
    }

    @Test
    void installPutsTheLauncherOnThePrefixWithTheShippedCompletion() throws Exception {
        Path prefix = temp.resolve("prefix");
        Run installed = exec(
                cwd,
                List.of(
                        "bash",
                        MODULE.resolve("src/dist/install.sh").toString(),
                        MODULE.resolve("target/loopline-dist.tar.gz").toString(),
                        MODULE.getParent().toString(),
                        "--prefix",
                        prefix.toString()));

        assertThat(installed.exitCode()).as(installed.err()).isZero();
        Path completion = prefix.resolve("share/bash-completion/completions/loopline");
        assertThat(completion).hasSameTextualContentAs(prefix.resolve("share/loopline/completion/loopline.bash"));
        assertThat(Files.isExecutable(prefix.resolve("bin/loopline"))).isTrue();
        assertThat(installed.out()).contains("source " + prefix.resolve("share/loopline/completion/loopline.bash"));
    }

    @Test
    void runWithoutDryRunFastForwardsAnL3LocalRepositoryAndLeavesABranchAtL2() throws Exception {
        Path target = gitRepo(temp.resolve("target"));
        String base = git(target, "rev-parse", "HEAD");
        Files.writeString(
                cwd.resolve("loopline.yaml"),
                """
                id: docs-fix
                kind: assisted-fix
                level: L3
                target: {repo: ../target, baseRef: main}
                test: {command: test -f README.md}
                maker:
                  type: mock
                  tokensPerRun: 1200
                  edits: [{path: docs/note.md, write: "tick {{tick}} of {{loop}}\\n"}]
                allowlist: {allow: ["docs/**"], maxFiles: 3}
                budget: {dailyTokens: 10000}
                """);

        Run merged = run(REPO_LAUNCHER, "run", "docs-fix", "--no-sandbox");

        assertThat(merged.exitCode()).as(merged.out() + merged.err()).isZero();
        assertThat(merged.out())
                .contains("  checker   accept — tests passed")
                .contains("  gate      merged: fast-forwarded main of " + target + " to ")
                .contains("Budget: 1,200 / 10,000 tokens spent today.");
        String head = git(target, "rev-parse", "HEAD");
        assertThat(head).isNotEqualTo(base);
        assertThat(git(target, "rev-parse", "HEAD^")).isEqualTo(base);
        assertThat(target.resolve("docs/note.md"))
                .content()
                .startsWith("tick run-")
                .contains("of docs-fix");
        assertThat(git(target, "status", "--porcelain")).isEmpty();

        Run proposed = run(dist, "run", "docs-fix", "--level", "L2", "--no-sandbox");

        assertThat(proposed.exitCode()).as(proposed.out() + proposed.err()).isZero();
        assertThat(proposed.out()).contains("  gate      awaiting-approval: branch loopline/docs-fix/run-");
        assertThat(git(target, "rev-parse", "HEAD")).isEqualTo(head);
        assertThat(git(target, "branch", "--list", "loopline/docs-fix/*")).contains("loopline/docs-fix/run-");
        assertThat(proposed.out()).contains("Budget: 2,400 / 10,000 tokens spent today.");
    }

    private Run run(Path launcher, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        return exec(cwd, command);
    }

    private static Run exec(Path dir, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = builder.environment();
        env.remove("LOOPLINE_HOME");
        // no model keys of the developer's: a spec's openai/anthropic maker must not call a real model here
        env.remove("NVIDIA_API_KEY");
        env.remove("OPENAI_API_KEY");
        env.remove("ANTHROPIC_API_KEY");
        Path out = Files.createTempFile("launcher-out", ".txt");
        Path err = Files.createTempFile("launcher-err", ".txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        Run run = new Run(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return run;
    }

    private void copyRegistry(Path dir) throws IOException {
        for (String f : new String[] {"registry.yaml", "gate.yaml", "registry.schema.json"}) {
            try (InputStream in = getClass().getResourceAsStream("/formats/loop-engineering/" + f)) {
                Files.copy(Objects.requireNonNull(in, f), dir.resolve(f));
            }
        }
    }

    private static Path gitRepo(Path dir) throws Exception {
        Files.createDirectories(dir);
        git(dir, "init", "-q", "-b", "main");
        Files.writeString(dir.resolve("README.md"), "# target\n");
        commitAll(dir, "initial");
        return dir;
    }

    private static void commitAll(Path dir, String message) throws Exception {
        git(dir, "add", "-A");
        git(dir, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", message);
    }

    /** Every ref, the index and work tree state, and the files: what a write to the repository would change. */
    private static String snapshot(Path dir) throws Exception {
        return git(dir, "for-each-ref") + "\n" + git(dir, "status", "--porcelain", "--ignored") + "\n"
                + git(dir, "stash", "list");
    }

    private static String git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        Run run = exec(dir, command);
        if (run.exitCode() != 0) {
            throw new AssertionError("git " + String.join(" ", args) + " failed: " + run.err());
        }
        return run.out().strip();
    }
}
