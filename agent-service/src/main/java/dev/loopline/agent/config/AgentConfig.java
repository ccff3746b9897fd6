package dev.loopline.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

@ConfigMapping(prefix = "loopline.agent")
public interface AgentConfig {

    /** Mirrors and throwaway worktrees live here. */
    @WithDefault("${java.io.tmpdir}/loopline-agent")
    Path workDir();

    /** Hard limit of one shell-maker run; the process tree is killed after it. */
    @WithDefault("10m")
    Duration shellTimeout();

    /** Limit of each git command (clone, fetch, worktree, diff). */
    @WithDefault("5m")
    Duration gitTimeout();

    /**
     * Largest diff proposed; a bigger one ends the tick with an error (the diff travels in Kafka messages,
     * twice: proposal and verdict).
     */
    @WithDefault("262144")
    int maxDiffBytes();

    /** The compacted control topic (kill switches, budget alerts), read whole by every replica. */
    String controlTopic();

    /**
     * How long a tick waits for the control topic to be read to its end (at start-up) before it ends with an
     * error: until then the kill switches are unknown.
     */
    @WithDefault("30s")
    Duration controlCatchUpTimeout();
}
