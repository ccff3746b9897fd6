package dev.loopline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.core.io.ProcessRunner;
import dev.loopline.makers.claude.ClaudeCodeSettings;
import dev.loopline.makers.claude.HookSession;
import dev.loopline.makers.claude.HookSessions;
import dev.loopline.schemas.spec.LoopSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hook script Claude Code runs for each tool call, against {@code loopline run}'s in-process hook server: the
 * shared guard answers, and the script fails closed when the server does not know the token or is gone.
 */
class LocalHookServerTest {

    @TempDir
    Path temp;

    private Path worktree;
    private final HookSessions sessions = new HookSessions();
    private HookSession session;

    @BeforeEach
    void session() throws Exception {
        worktree = Files.createDirectories(temp.resolve("wt")).toRealPath();
        RunCommandTest.git(worktree, "init", "-q", "-b", "main");
        Files.writeString(worktree.resolve("test.sh"), "#!/bin/sh\ntrue\n");
        RunCommandTest.git(worktree, "add", "-A");
        RunCommandTest.git(
                worktree, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "initial");
        LoopSpec spec = LoopSpec.builder(
                        "docs", LoopSpec.Kind.ASSISTED_FIX, LoopSpec.Level.L2, new LoopSpec.Target("/r", "main"))
                .test(new LoopSpec.Test("sh test.sh", 60))
                .maker(new LoopSpec.Maker("claude-code", null, null, null, null))
                .build();
        session = sessions.open(spec, worktree, RunCommandTest.git(worktree, "rev-parse", "HEAD"));
    }

    @Test
    void theSharedGuardAnswersEachCallAndAnEndedServerBlocksThem() throws IOException {
        URI url;
        try (LocalHookServer server = LocalHookServer.start(sessions)) {
            url = server.forSession(session.token());
            assertThat(url.getHost()).isEqualTo("127.0.0.1");

            ProcessRunner.Result allowed = hook(url, bash("ls -la"));
            assertThat(allowed.exitCode()).as(allowed.output()).isZero();

            ProcessRunner.Result push = hook(url, bash("git push --force origin main"));
            assertThat(push.exitCode()).isEqualTo(2);
            assertThat(push.output()).contains("Loopline blocked this Bash call (rule git-force-push)");

            ProcessRunner.Result harness = hook(
                    url,
                    "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Write\",\"tool_use_id\":\"t2\",\"cwd\":\""
                            + worktree + "\",\"tool_input\":{\"file_path\":\"test.sh\",\"content\":\"exit 0\\n\"}}");
            assertThat(harness.exitCode()).isEqualTo(2);
            assertThat(harness.output()).contains("Loopline blocked this Write call");

            ProcessRunner.Result unknown = hook(server.forSession("not-" + session.token()), bash("ls"));
            assertThat(unknown.exitCode()).isEqualTo(2);
            assertThat(unknown.output()).contains("its tool-call guard did not answer (404)");

            assertThat(session.blocks()).isEqualTo(2);
            assertThat(session.findings()).extracting(f -> f.ruleId()).first().isEqualTo("git-force-push");
        }

        ProcessRunner.Result closed = hook(url, bash("ls"));
        assertThat(closed.exitCode())
                .as("fails closed once the run's server is gone")
                .isEqualTo(2);
        assertThat(closed.output()).contains("Loopline blocked this call");
    }

    private String bash(String command) {
        return "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\",\"tool_use_id\":\"t1\",\"cwd\":\"" + worktree
                + "\",\"tool_input\":{\"command\":\"" + command + "\"}}";
    }

    private ProcessRunner.Result hook(URI url, String call) throws IOException {
        // a fresh directory per call: the written hook is read-only
        Path dir = Files.createTempDirectory(temp, "run-");
        ClaudeCodeSettings.write(dir, url, Duration.ofSeconds(5), true);
        return ProcessRunner.run(
                List.of(dir.resolve(ClaudeCodeSettings.HOOK_FILE).toString()),
                dir,
                Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")),
                Duration.ofSeconds(20),
                call);
    }
}
