package dev.loopline.bench.diff;

import dev.loopline.core.diff.DiffParseException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * CPU-time companion to the JMH benchmarks in this package. On a small, shared machine the wall-clock
 * scores swing with whatever else runs; the CPU time this process spends does not, so it is the figure to
 * compare across commits. It is the whole process's CPU time ({@code getProcessCpuTime()}), not the
 * benchmark thread's: a large diff is scanned on several threads, and their work, the collector's and the
 * compiler's all count. Both are printed: per round, the minimum and the median of CPU and wall time per
 * operation; on an otherwise idle machine wall time is below CPU time by the threads' overlap.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar dev.loopline.bench.diff.CpuTimeHarness [rounds]}
 */
public final class CpuTimeHarness {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final long WARMUP_CPU_NANOS = 8_000_000_000L;

    private CpuTimeHarness() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        if (OS.getProcessCpuTime() < 0) {
            throw new IllegalStateException("process CPU time is not supported on this JVM");
        }

        DiffScanBenchmark scan = new DiffScanBenchmark();
        scan.setUp();
        try {
            String diff = scan.diffText();
            double mb = diff.getBytes(StandardCharsets.UTF_8).length / 1_000_000.0;
            Result parseAndScan = measure(rounds, 1, () -> scan.parseAndScan().size());
            Result parseOnly = measure(rounds, 1, () -> {
                try {
                    return scan.parseOnly().files().size();
                } catch (DiffParseException e) {
                    throw new IllegalStateException(e);
                }
            });
            report("diff parse+scan", parseAndScan, "ms/op", 1e6, mb);
            report("diff parse only", parseOnly, "ms/op", 1e6, mb);
        } finally {
            scan.tearDown();
        }

        AllowlistBenchmark allow = new AllowlistBenchmark();
        allow.setUp();
        int diffs = AllowlistBenchmark.DIFFS;
        Result decide = measure(rounds, diffs, allow::decideAll);
        report("allowlist decide", decide, "us/diff", 1e3, 0);
    }

    private record Result(double[] cpuNanosPerOp, double[] wallNanosPerOp) {}

    private static Result measure(int rounds, int opsPerCall, IntSupplier op) {
        long sink = 0;
        long start = OS.getProcessCpuTime();
        int calls = 0;
        while (OS.getProcessCpuTime() - start < WARMUP_CPU_NANOS || calls < 5) {
            sink += op.getAsInt();
            calls++;
        }
        // Aim for about half a second of CPU per round.
        double perCall = (OS.getProcessCpuTime() - start) / (double) calls;
        int callsPerRound = Math.max(1, (int) (500_000_000L / perCall));
        double[] cpu = new double[rounds];
        double[] wall = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long c0 = OS.getProcessCpuTime();
            long w0 = System.nanoTime();
            for (int i = 0; i < callsPerRound; i++) {
                sink += op.getAsInt();
            }
            long w1 = System.nanoTime();
            long c1 = OS.getProcessCpuTime();
            cpu[r] = (c1 - c0) / (double) callsPerRound / opsPerCall;
            wall[r] = (w1 - w0) / (double) callsPerRound / opsPerCall;
        }
        if (sink == 42) {
            System.err.print(""); // keeps the results alive
        }
        return new Result(cpu, wall);
    }

    private static void report(String name, Result r, String unit, double divisor, double mbPerOp) {
        double[] cpu = r.cpuNanosPerOp().clone();
        double[] wall = r.wallNanosPerOp().clone();
        Arrays.sort(cpu);
        Arrays.sort(wall);
        double cpuMin = cpu[0] / divisor;
        double cpuMed = cpu[cpu.length / 2] / divisor;
        double wallMin = wall[0] / divisor;
        double wallMed = wall[wall.length / 2] / divisor;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "%-18s cpu min %9.3f med %9.3f %s | wall min %9.3f med %9.3f %s",
                name,
                cpuMin,
                cpuMed,
                unit,
                wallMin,
                wallMed,
                unit));
        if (mbPerOp > 0) {
            // divisor 1e6 turns ns into ms: MB/s = MB / (ms / 1000)
            sb.append(String.format(
                    Locale.ROOT,
                    " | cpu %.1f MB/s (best %.1f), wall %.1f MB/s (best %.1f)",
                    mbPerOp / (cpuMed / 1000),
                    mbPerOp / (cpuMin / 1000),
                    mbPerOp / (wallMed / 1000),
                    mbPerOp / (wallMin / 1000)));
        }
        System.out.println(sb);
    }
}
