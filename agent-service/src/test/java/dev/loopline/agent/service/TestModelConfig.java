package dev.loopline.agent.service;

import dev.loopline.agent.config.AgentConfig;
import java.time.Duration;

/** {@link AgentConfig.Model} for unit tests: the production defaults, or short limits for retry and timeout tests. */
public record TestModelConfig(
        Duration callTimeout,
        Duration runTimeout,
        int maxTurns,
        int maxAttempts,
        Duration retryBackoff,
        Duration retryMaxBackoff,
        Duration commandTimeout,
        int maxOutputTokens)
        implements AgentConfig.Model {

    /** The values of {@code @WithDefault} in {@link AgentConfig.Model}. */
    public static TestModelConfig defaults() {
        return new TestModelConfig(
                Duration.ofMinutes(2),
                Duration.ofMinutes(10),
                20,
                4,
                Duration.ofSeconds(1),
                Duration.ofSeconds(30),
                Duration.ofMinutes(2),
                8192);
    }
}
