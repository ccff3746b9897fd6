package dev.loopline.bench.diff;

import dev.loopline.core.diff.Diff;
import dev.loopline.core.diff.DiffParseException;
import dev.loopline.core.diff.DiffParser;
import dev.loopline.core.guard.integrity.Finding;
import dev.loopline.core.guard.integrity.IntegrityScanner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Parse + integrity scan throughput on a real multi-megabyte {@code git diff} (Python 3.12.1 vs 3.13.0
 * standard library, including its test suite). MB/s = diff size printed at setup / time per op.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DiffScanBenchmark {

    private static final int MIN_BYTES = 5 * 1024 * 1024;

    private final IntegrityScanner scanner = new IntegrityScanner();
    private Path work;
    private String diff;

    @Setup
    public void setUp() throws Exception {
        work = Files.createTempDirectory("loopline-bench-diff");
        String real = BenchRepos.realDiff(work);
        String source = "git diff of Python 3.12.1 -> 3.13.0 stdlib";
        if (real == null || real.length() < MIN_BYTES) {
            real = BenchRepos.syntheticDiff(MIN_BYTES);
            source = "generated fallback (no real source trees found)";
        }
        diff = real;
        Diff parsed = DiffParser.parse(diff);
        List<Finding> findings = scanner.scan(parsed);
        System.err.printf(
                "%n[diff-scan] %s: %.2f MB (%d bytes UTF-8), %d files, +%d/-%d lines, %d findings%n",
                source,
                diff.getBytes(StandardCharsets.UTF_8).length / 1_000_000.0,
                diff.getBytes(StandardCharsets.UTF_8).length,
                parsed.files().size(),
                parsed.addedLines(),
                parsed.removedLines(),
                findings.size());
    }

    @TearDown
    public void tearDown() throws Exception {
        BenchRepos.deleteTree(work);
    }

    @Benchmark
    public List<Finding> parseAndScan() {
        return scanner.scan(diff);
    }

    String diffText() {
        return diff;
    }

    @Benchmark
    public Diff parseOnly() throws DiffParseException {
        return DiffParser.parse(diff);
    }
}
