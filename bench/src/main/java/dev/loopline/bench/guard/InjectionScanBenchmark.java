package dev.loopline.bench.guard;

import dev.loopline.core.guard.injection.InjectionScanner;
import dev.loopline.core.guard.injection.ScanResult;
import dev.loopline.core.guard.injection.Severity;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Injection-scan throughput. The {@code bytes} auxiliary counter is reported per second, so its score is the
 * throughput in UTF-8 bytes/s (divide by 1e6 for MB/s). {@code scan1MB} and {@code scan5MB} give the linearity
 * check: five times the input should take about five times as long.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar InjectionScan -f 1 -wi 2 -i 3 -w 2s -r 2s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class InjectionScanBenchmark {
    private List<String> corpus;
    private long corpusBytes;
    private String oneMb;
    private String fiveMb;
    private long oneMbBytes;
    private long fiveMbBytes;
    private final InjectionScanner scanner = InjectionScanner.defaults();

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    @Setup
    public void setUp() {
        corpus = TextCorpus.documents(1_000, 1_024, 50 * 1_024, 7L);
        corpusBytes = TextCorpus.utf8Bytes(corpus);
        fiveMb = TextCorpus.document(new SplittableRandom(11L), 5 * 1_024 * 1_024, true);
        oneMb = fiveMb.substring(0, fiveMb.length() / 5);
        oneMbBytes = oneMb.getBytes(StandardCharsets.UTF_8).length;
        fiveMbBytes = fiveMb.getBytes(StandardCharsets.UTF_8).length;
        long high = corpus.stream()
                .filter(d -> scanner.scan(d).severity().atLeast(Severity.HIGH))
                .count();
        System.out.printf(
                "%n[corpus] %d documents, %.1f MB, %d rated high; large input %.1f MB%n",
                corpus.size(), corpusBytes / 1e6, high, fiveMbBytes / 1e6);
    }

    @Benchmark
    public void scanCorpus(Bytes counter, Blackhole bh) {
        for (String d : corpus) {
            ScanResult r = scanner.scan(d);
            bh.consume(r);
        }
        counter.bytes += corpusBytes;
    }

    @Benchmark
    public ScanResult scan1MB(Bytes counter) {
        counter.bytes += oneMbBytes;
        return scanner.scan(oneMb);
    }

    @Benchmark
    public ScanResult scan5MB(Bytes counter) {
        counter.bytes += fiveMbBytes;
        return scanner.scan(fiveMb);
    }
}
