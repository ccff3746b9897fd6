package dev.loopline.makers.llm;

import java.time.Duration;

/**
 * The limits of the model runs an adapter makes, with agent-service's defaults ({@link #DEFAULTS}); agent-service
 * builds them from its configuration ({@code loopline.agent.model.*}, {@code .compaction.*}, {@code .notebook.*},
 * {@code .budget.default-tokens-per-run}).
 */
public record ModelSettings(
        Duration callTimeout,
        Duration runTimeout,
        int maxTurns,
        int maxAttempts,
        Duration retryBackoff,
        Duration retryMaxBackoff,
        Duration commandTimeout,
        int maxOutputTokens,
        long compactAboveChars,
        long compactAboveTokens,
        int keepRecentTurns,
        boolean notebookEnabled,
        int notesShown,
        int notebookMaxChars,
        long defaultTokensPerRun) {

    /** agent-service's defaults. */
    public static final ModelSettings DEFAULTS = new ModelSettings(
            Duration.ofMinutes(2),
            Duration.ofMinutes(10),
            20,
            4,
            Duration.ofSeconds(1),
            Duration.ofSeconds(30),
            Duration.ofMinutes(2),
            8192,
            200_000,
            0,
            4,
            true,
            20,
            8000,
            50_000);
}
