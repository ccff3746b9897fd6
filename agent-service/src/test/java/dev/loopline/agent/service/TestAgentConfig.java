package dev.loopline.agent.service;

import dev.loopline.agent.config.AgentConfig;
import java.nio.file.Path;
import java.time.Duration;

/** An {@link AgentConfig} for unit tests of one class. */
public record TestAgentConfig(String controlTopic, Duration controlCatchUpTimeout) implements AgentConfig {

    @Override
    public Path workDir() {
        return Path.of("unused");
    }

    @Override
    public Duration shellTimeout() {
        return Duration.ofSeconds(30);
    }

    @Override
    public Duration gitTimeout() {
        return Duration.ofSeconds(30);
    }

    @Override
    public int maxDiffBytes() {
        return 1024;
    }
}
