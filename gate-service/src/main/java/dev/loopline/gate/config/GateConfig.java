package dev.loopline.gate.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** Gate settings ({@code loopline.gate.*}). */
@ConfigMapping(prefix = "loopline.gate")
public interface GateConfig {

    /** Where the gate keeps one bare mirror per target repository and its throwaway worktrees. */
    @WithDefault("${java.io.tmpdir}/loopline-gate")
    Path workDir();

    /** Longest any single git command (fetch, apply, push) may run. */
    @WithDefault("5m")
    Duration gitTimeout();

    /** How many times a verdict is tried when git fails (unreachable remote, ...) before escalating. */
    @WithDefault("3")
    int gitAttempts();

    /** The compacted control topic (kill switches, budget alerts), read whole by every replica (ADR 0006). */
    String controlTopic();

    /**
     * How long a verdict waits for the control topic to be read to its end (at start-up) before the gate escalates
     * it without pushing: until then the kill switches are unknown.
     */
    @WithDefault("30s")
    Duration controlCatchUpTimeout();

    /** Author and committer of every commit the gate creates; fixed so that commits are reproducible. */
    Identity identity();

    interface Identity {
        @WithDefault("Loopline Gate")
        String name();

        @WithDefault("gate@loopline.invalid")
        String email();
    }
}
