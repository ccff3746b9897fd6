package dev.loopline.core.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.core.io.TestSandbox;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SandboxHintsTest {

    private static final TestSandbox.Limits LIMITS =
            new TestSandbox.Limits(2L * 1024 * 1024 * 1024, 64, Duration.ofSeconds(30), 1024 * 1024);
    private static final TestSandbox BUBBLEWRAP =
            new TestSandbox.Bubblewrap(Path.of("/usr/bin/bwrap"), Path.of("/usr/bin/prlimit"), null);

    @ParameterizedTest(name = "exit {0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "254 | bash: fork: retry: Resource temporarily unavailable | process-count limit (64 processes and threads)",
                "2   | sh: 1: Cannot fork                                  | process-count limit (64 processes and threads)",
                "1   | java.lang.OutOfMemoryError: unable to create native thread: possibly out of memory | process-count limit",
                "1   | BlockingIOError: [Errno 11] Resource temporarily unavailable | process-count limit",
                "152 | ''                                                  | CPU-time limit (30 s per process)",
                "1   | bash: line 1:  42 CPU time limit exceeded ./spin    | CPU-time limit (30 s per process)",
                "153 | ''                                                  | file-size limit (1048576 bytes)",
                "1   | File size limit exceeded (core dumped)              | file-size limit (1048576 bytes)",
                "1   | MemoryError                                         | memory limit (2147483648 bytes of address space per process)",
                "1   | fatal error: std::bad_alloc                         | memory limit",
            })
    void namesTheLimitAFailedRunReached(int exit, String output, String limit) {
        assertThat(SandboxHints.of(BUBBLEWRAP, LIMITS, exit, output))
                .startsWith("; the sandbox's " + limit.split(" \\(")[0])
                .contains(limit);
    }

    @ParameterizedTest(name = "exit {0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "1   | FAILED tests/test_price.py::test_total - assert 3 == 4",
                "1   | Tests run: 12, Failures: 1, Errors: 0, Skipped: 0",
                "2   | make: *** [Makefile:3: test] Error 2",
                "137 | Killed",
            })
    void anOrdinaryFailureNamesNoLimit(int exit, String output) {
        assertThat(SandboxHints.of(BUBBLEWRAP, LIMITS, exit, output)).doesNotContain("limit");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {"152 | ''", "1 | sh: 1: Cannot fork"})
    void anUnsandboxedRunGetsNoHint(int exit, String output) {
        assertThat(SandboxHints.of(new TestSandbox.None(), LIMITS, exit, output))
                .isEmpty();
    }
}
