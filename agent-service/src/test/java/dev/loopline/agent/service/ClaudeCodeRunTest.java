package dev.loopline.agent.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopline.agent.config.ClaudeCodeConfig;
import dev.loopline.schemas.spec.LoopSpec;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the maker starts the CLI, without starting it. */
class ClaudeCodeRunTest {

    @Test
    void theCliLoadsOnlyLoopLinesSettingsAndGetsTheLoopsToolsLast() {
        List<String> args = maker(Duration.ofMinutes(5))
                .arguments(
                        Path.of("/opt/claude"),
                        request(new LoopSpec.Maker(
                                "claude-code",
                                "claude-sonnet-4-5",
                                null,
                                null,
                                null,
                                null,
                                null,
                                7,
                                List.of("Edit", "Bash(npm test:*)"))),
                        Path.of("/s/settings.json"));

        assertThat(args.subList(0, 3)).containsExactly("/opt/claude", "-p", "Task: Fix the parser.");
        assertThat(String.join(" ", args))
                .contains("--settings /s/settings.json --setting-sources  --strict-mcp-config")
                .contains("--permission-mode acceptEdits --max-turns 7")
                .contains("--tools Bash,Read,Glob,Grep,Edit,Write,NotebookEdit,WebFetch,WebSearch")
                .contains("--model claude-sonnet-4-5");
        assertThat(args.get(args.indexOf("--setting-sources") + 1)).isEmpty();
        // variadic, so nothing may follow the tools
        assertThat(args.subList(args.indexOf("--allowedTools"), args.size()))
                .containsExactly("--allowedTools", "Edit", "Bash(npm test:*)");
    }

    @Test
    void aSpecWithoutTurnsToolsOrModelGetsTheAgentsDefaults() {
        List<String> args = maker(Duration.ofMinutes(5))
                .arguments(
                        Path.of("/opt/claude"),
                        request(new LoopSpec.Maker("claude-code", null, null, null, null)),
                        Path.of("/s/settings.json"));

        assertThat(args).doesNotContain("--model");
        assertThat(args.get(args.indexOf("--max-turns") + 1)).isEqualTo("30");
        assertThat(args.subList(args.indexOf("--allowedTools") + 1, args.size()))
                .containsExactly("Read", "Glob", "Grep", "Edit", "Write", "NotebookEdit", "Bash");
    }

    @Test
    void theReflectionsOfRejectedAttemptsFollowTheTask() {
        MakerRequest retry = new MakerRequest(
                Path.of("/wt"),
                spec(new LoopSpec.Maker("claude-code", null, null, null, null)),
                "l",
                "t",
                3,
                List.of("Attempt 1 was rejected: tests failed", "Attempt 2 was rejected: lint"));

        assertThat(ClaudeCodeMaker.prompt(retry))
                .startsWith("Task: Fix the parser.\n\nEarlier attempts at this change were rejected.")
                .endsWith("Attempt 1 was rejected: tests failed\n\n---\n\nAttempt 2 was rejected: lint");
    }

    @Test
    void aRunLimitLongerThanTheBudgetHoldStopsTheAgentFromStarting() {
        ClaudeCodeMaker tooLong = maker(Duration.ofMinutes(11));

        assertThatThrownBy(() -> tooLong.start(null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("loopline.agent.claude-code.timeout (PT11M)")
                .hasMessageContaining("loopline.agent.shell-timeout (PT30S)");
    }

    private static ClaudeCodeMaker maker(Duration timeout) {
        ClaudeCodeMaker maker = new ClaudeCodeMaker();
        maker.claude = new Config(timeout);
        maker.config = new TestAgentConfig("unused", Duration.ofSeconds(1));
        return maker;
    }

    private static MakerRequest request(LoopSpec.Maker maker) {
        return new MakerRequest(Path.of("/wt"), spec(maker), "l", "t", 1, List.of());
    }

    private static LoopSpec spec(LoopSpec.Maker maker) {
        return LoopSpec.builder("l", LoopSpec.Kind.ASSISTED_FIX, LoopSpec.Level.L2, new LoopSpec.Target("/r", "main"))
                .task("Fix the parser.")
                .maker(maker)
                .build();
    }

    /** The defaults of {@link ClaudeCodeConfig}, with a run limit. */
    private record Config(Duration timeout) implements ClaudeCodeConfig {
        @Override
        public Optional<String> binary() {
            return Optional.empty();
        }

        @Override
        public Optional<URI> baseUrl() {
            return Optional.empty();
        }

        @Override
        public Optional<String> apiKey() {
            return Optional.empty();
        }

        @Override
        public Optional<Path> extraCaCerts() {
            return Optional.empty();
        }

        @Override
        public int defaultMaxTurns() {
            return 30;
        }

        @Override
        public List<String> defaultAllowedTools() {
            return List.of("Read", "Glob", "Grep", "Edit", "Write", "NotebookEdit", "Bash");
        }

        @Override
        public boolean webFetchPreflight() {
            return true;
        }

        @Override
        public Optional<URI> hookUrl() {
            return Optional.empty();
        }

        @Override
        public Duration hookTimeout() {
            return Duration.ofSeconds(10);
        }
    }
}
