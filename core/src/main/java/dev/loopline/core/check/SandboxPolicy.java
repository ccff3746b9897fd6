package dev.loopline.core.check;

import dev.loopline.core.io.TestSandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the guard contains test commands: the sandbox chosen at start-up (or {@link TestSandbox.Unavailable},
 * which refuses every test run), the per-process resource limits, and extra directories to hide.
 *
 * @param cpuTime CPU seconds of each process; empty = the run's timeout times the cores
 * @param hidden directories hidden from every test run on top of the guard's work dir and homes
 */
public record SandboxPolicy(
        TestSandbox sandbox,
        long memoryBytes,
        int processes,
        Optional<Duration> cpuTime,
        long fileSizeBytes,
        List<Path> hidden) {

    public SandboxPolicy {
        hidden = List.copyOf(hidden);
    }

    /** The sandbox found on this host (bubblewrap or unavailable) with the default limits. */
    public static SandboxPolicy detected() {
        return of(TestSandbox.detect());
    }

    public static SandboxPolicy of(TestSandbox sandbox) {
        return new SandboxPolicy(
                sandbox,
                TestSandbox.Limits.DEFAULT_MEMORY_BYTES,
                TestSandbox.Limits.DEFAULT_PROCESSES,
                Optional.empty(),
                TestSandbox.Limits.DEFAULT_FILE_SIZE_BYTES,
                List.of());
    }

    public TestSandbox.Limits limits(Duration timeout) {
        return new TestSandbox.Limits(
                memoryBytes,
                processes,
                cpuTime.orElseGet(() -> TestSandbox.Limits.cpuTimeFor(
                        timeout, Runtime.getRuntime().availableProcessors())),
                fileSizeBytes);
    }
}
