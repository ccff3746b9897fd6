package dev.loopline.guard.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

@ConfigMapping(prefix = "loopline.guard")
public interface GuardConfig {

    /** Mirrors, clean checkouts and test output files live here. */
    @WithDefault("${java.io.tmpdir}/loopline-guard")
    Path workDir();

    /** Upper bound of any spec's {@code test.timeoutSeconds}; the test's process tree is killed after it. */
    @WithDefault("30m")
    Duration maxTestTimeout();

    /** Limit of each git command (clone, fetch, worktree, apply). */
    @WithDefault("5m")
    Duration gitTimeout();
}
