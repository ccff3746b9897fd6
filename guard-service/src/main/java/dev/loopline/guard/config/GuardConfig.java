package dev.loopline.guard.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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

    /** Where test commands run and what they may use. */
    Sandbox sandbox();

    interface Sandbox {

        enum Mode {
            /** bubblewrap when it works on this host, otherwise refuse to run tests (escalate). */
            AUTO,
            /** bubblewrap, and refuse to run tests when it does not work. */
            BUBBLEWRAP,
            /** the operator's explicit opt-out: tests run unsandboxed, as the guard's user. */
            NONE
        }

        /** {@code auto}, {@code bubblewrap} or {@code none} (env {@code LOOPLINE_GUARD_SANDBOX_MODE}). */
        @WithDefault("auto")
        Mode mode();

        /** Address space of each test process ({@code RLIMIT_AS}), in bytes. */
        @WithDefault("4294967296")
        long memory();

        /** Processes and threads of the sandbox user ({@code RLIMIT_NPROC}). */
        @WithDefault("1024")
        int processes();

        /** CPU time of each test process; unset = the test timeout times the cores. */
        @WithName("cpu-time")
        Optional<Duration> cpuTime();

        /** Largest file a test process may write ({@code RLIMIT_FSIZE}), in bytes. */
        @WithDefault("1073741824")
        long fileSize();

        /** Directories hidden from test runs besides the guard's work dir, homes and runtime sockets. */
        @WithName("hidden-paths")
        Optional<List<Path>> hiddenPaths();
    }
}
