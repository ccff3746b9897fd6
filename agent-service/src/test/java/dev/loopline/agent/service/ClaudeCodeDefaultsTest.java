package dev.loopline.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.agent.config.ClaudeCodeConfig;
import dev.loopline.makers.claude.ClaudeCodeRun;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code loopline run} runs the claude-code maker with {@link ClaudeCodeRun}'s defaults: they must stay agent-service's
 * configured defaults, so that a loop tried with the CLI gets the turns, tools and hook limit it gets on the stack.
 */
class ClaudeCodeDefaultsTest {

    @Test
    void theSharedDefaultsAreAgentServicesConfiguredDefaults() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(ClaudeCodeConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .build();
        ClaudeCodeConfig claude = config.getConfigMapping(ClaudeCodeConfig.class);

        assertThat(claude.defaultMaxTurns()).isEqualTo(ClaudeCodeRun.DEFAULT_MAX_TURNS);
        assertThat(claude.defaultAllowedTools()).isEqualTo(ClaudeCodeRun.DEFAULT_ALLOWED_TOOLS);
        assertThat(claude.hookTimeout()).isEqualTo(ClaudeCodeRun.DEFAULT_HOOK_TIMEOUT);
        assertThat(claude.webFetchPreflight()).isTrue();
    }
}
