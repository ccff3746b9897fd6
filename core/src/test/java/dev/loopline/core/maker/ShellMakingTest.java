package dev.loopline.core.maker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopline.schemas.spec.LoopSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellMakingTest {

    @TempDir
    Path temp;

    private static LoopSpec spec(String command) {
        return LoopSpec.builder(
                        "docs",
                        LoopSpec.Kind.ASSISTED_FIX,
                        LoopSpec.Level.L2,
                        new LoopSpec.Target("/repo", "main", null))
                .maker(new LoopSpec.Maker(ShellMaking.TYPE, null, command, null, null))
                .build();
    }

    private Map<String, String> env(List<String> reflections) {
        return ShellMaking.environment(
                new ShellMaking.Context("docs", "t-1", 2, "Fix the docs.", reflections), temp.resolve("home"));
    }

    @Test
    void theEnvironmentHoldsTheTickAndTheFeedbackButNothingOfTheCallers() {
        Map<String, String> env = env(List.of("Attempt 1 was rejected: a", "Attempt 2 was rejected: b"));

        assertThat(env)
                .containsEntry("HOME", temp.resolve("home").toString())
                .containsEntry("LOOPLINE_LOOP_ID", "docs")
                .containsEntry("LOOPLINE_TICK_ID", "t-1")
                .containsEntry("LOOPLINE_ATTEMPT", "2")
                .containsEntry("LOOPLINE_TASK", "Fix the docs.")
                .containsEntry("LOOPLINE_REFLECTIONS", "Attempt 1 was rejected: a\n---\nAttempt 2 was rejected: b")
                .containsOnlyKeys(
                        "PATH",
                        "HOME",
                        "LANG",
                        "LOOPLINE_LOOP_ID",
                        "LOOPLINE_TICK_ID",
                        "LOOPLINE_ATTEMPT",
                        "LOOPLINE_TASK",
                        "LOOPLINE_REFLECTIONS");
    }

    @Test
    void aCommandTheGuardBlocksIsRefusedAndNeverRun() {
        Path marker = temp.resolve("ran");

        assertThatThrownBy(() -> ShellMaking.run(
                        spec("touch " + marker + "; rm -rf /"),
                        temp,
                        env(List.of()),
                        Duration.ofSeconds(10),
                        temp.resolve("out.log")))
                .isInstanceOf(ShellMaking.Refused.class)
                .hasMessageStartingWith("maker command blocked by rule ");
        assertThat(marker).doesNotExist();
    }

    @Test
    void aSpecWithoutACommandIsRefused() {
        assertThatThrownBy(() -> ShellMaking.guarded(spec(" ")))
                .isInstanceOf(ShellMaking.Refused.class)
                .hasMessage("the shell maker needs spec.maker.command");
    }

    @Test
    void theCommandRunsInTheWorktreeWithTheGivenEnvironment() throws Exception {
        Path worktree = Files.createDirectories(temp.resolve("wt"));

        ShellMaking.Result result = ShellMaking.run(
                spec("printf '%s' \"$LOOPLINE_REFLECTIONS|$SECRET\" > note.md"),
                worktree,
                env(List.of("feedback")),
                Duration.ofSeconds(10),
                temp.resolve("out.log"));

        assertThat(result.summary()).startsWith("shell maker: printf");
        assertThat(worktree.resolve("note.md")).hasContent("feedback|");
    }

    @Test
    void aFailingOrSlowCommandFailsWithItsOutput() {
        Path worktree = temp;
        assertThatThrownBy(() -> ShellMaking.run(
                        spec("echo broken; exit 3"),
                        worktree,
                        env(List.of()),
                        Duration.ofSeconds(10),
                        temp.resolve("a")))
                .isInstanceOf(ShellMaking.Failed.class)
                .hasMessage("shell maker failed (exit 3): broken\n");
        assertThatThrownBy(() -> ShellMaking.run(
                        spec("sleep 30"), worktree, env(List.of()), Duration.ofSeconds(1), temp.resolve("b")))
                .isInstanceOf(ShellMaking.Failed.class)
                .hasMessageStartingWith("shell maker timed out after 1s");
    }
}
