package dev.loopline.agent.service.llm;

import dev.loopline.agent.config.AgentConfig;
import dev.loopline.agent.service.TestAgentConfig;
import dev.loopline.agent.service.TestModelConfig;
import java.nio.file.Path;
import java.time.Duration;

/** An {@link AgentConfig} for the LLM maker tests: {@link TestAgentConfig} with the model limits a test picks. */
record LlmTestConfig(TestModelConfig model, Compaction compaction, Notebook notebook) implements AgentConfig {

    LlmTestConfig(TestModelConfig model) {
        this(model, BASE.compaction(), BASE.notebook());
    }

    private static final AgentConfig BASE = new TestAgentConfig("unused", Duration.ofSeconds(1));

    /** Production limits, except retry waits short enough for a test. */
    static LlmTestConfig fast() {
        TestModelConfig d = TestModelConfig.defaults();
        return new LlmTestConfig(new TestModelConfig(
                Duration.ofSeconds(10),
                Duration.ofSeconds(60),
                d.maxTurns(),
                d.maxAttempts(),
                Duration.ofMillis(20),
                Duration.ofMillis(100),
                Duration.ofSeconds(10),
                d.maxOutputTokens()));
    }

    LlmTestConfig withCallTimeout(Duration timeout, int maxAttempts) {
        return new LlmTestConfig(new TestModelConfig(
                timeout,
                model.runTimeout(),
                model.maxTurns(),
                maxAttempts,
                model.retryBackoff(),
                model.retryMaxBackoff(),
                model.commandTimeout(),
                model.maxOutputTokens()));
    }

    LlmTestConfig withRunTimeout(Duration timeout) {
        return new LlmTestConfig(new TestModelConfig(
                model.callTimeout(),
                timeout,
                model.maxTurns(),
                model.maxAttempts(),
                model.retryBackoff(),
                model.retryMaxBackoff(),
                model.commandTimeout(),
                model.maxOutputTokens()));
    }

    @Override
    public Path workDir() {
        return BASE.workDir();
    }

    @Override
    public Duration shellTimeout() {
        return BASE.shellTimeout();
    }

    @Override
    public Duration gitTimeout() {
        return BASE.gitTimeout();
    }

    @Override
    public int maxDiffBytes() {
        return BASE.maxDiffBytes();
    }

    @Override
    public Duration drainTimeout() {
        return BASE.drainTimeout();
    }

    @Override
    public String controlTopic() {
        return BASE.controlTopic();
    }

    @Override
    public Duration controlCatchUpTimeout() {
        return BASE.controlCatchUpTimeout();
    }

    @Override
    public State state() {
        return BASE.state();
    }

    /** Compaction past {@code aboveChars} characters, keeping {@code keepRecentTurns} turns. */
    LlmTestConfig withCompaction(long aboveChars, int keepRecentTurns) {
        return new LlmTestConfig(model, TestAgentConfig.compaction(aboveChars, 0, keepRecentTurns), notebook);
    }

    /** The notebook on, showing at most {@code notesShown} notes. */
    LlmTestConfig withNotebook(int notesShown) {
        return new LlmTestConfig(model, compaction, new Notebook() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public int notesShown() {
                return notesShown;
            }

            @Override
            public int maxChars() {
                return 8000;
            }
        });
    }

    @Override
    public Triage triage() {
        return BASE.triage();
    }

    @Override
    public Budget budget() {
        return BASE.budget();
    }
}
