package dev.loopline.bench.guard;

import dev.loopline.core.guard.command.CommandGuard;
import dev.loopline.core.guard.injection.InjectionScanner;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * Thread-CPU-time companion to {@link InjectionScanBenchmark} and {@link CommandGuardBenchmark}, as {@code
 * dev.loopline.bench.diff.CpuTimeHarness} is to the diff benchmarks: on a small, shared machine the wall-clock
 * scores swing with whatever else runs, the CPU time of the measuring thread much less. Same inputs as the JMH
 * benchmarks (the 1,000-document corpus, the 10,000 commands); per round, the minimum and the median are printed.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar dev.loopline.bench.guard.GuardCpuTimeHarness [rounds]}
 */
public final class GuardCpuTimeHarness {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long WARMUP_CPU_NANOS = 10_000_000_000L;
    private static final long ROUND_CPU_NANOS = 1_000_000_000L;

    private GuardCpuTimeHarness() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        if (!THREADS.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("thread CPU time is not supported on this JVM");
        }
        THREADS.setThreadCpuTimeEnabled(true);

        List<String> corpus = TextCorpus.documents(1_000, 1_024, 50 * 1_024, 7L);
        double corpusMb = TextCorpus.utf8Bytes(corpus) / 1e6;
        InjectionScanner scanner = InjectionScanner.defaults();
        double[] scan = measure(rounds, () -> {
            int sink = 0;
            for (String d : corpus) {
                sink += scanner.scan(d).signals().size();
            }
            return sink;
        });
        System.out.printf(
                Locale.ROOT,
                "injection scan     cpu %.1f MB/s median (best %.1f) over %.1f MB%n",
                corpusMb / (scan[rounds / 2] / 1e9),
                corpusMb / (scan[0] / 1e9),
                corpusMb);

        List<String> commands = CommandCorpus.generate(CommandGuardBenchmark.COMMANDS, 42L);
        CommandGuard guard = CommandGuard.defaults();
        double[] check = measure(rounds, () -> {
            int sink = 0;
            for (String c : commands) {
                sink += guard.check(c).allowed() ? 1 : 0;
            }
            return sink;
        });
        System.out.printf(
                Locale.ROOT,
                "command guard      cpu %.1f ns/command median (best %.1f)%n",
                check[rounds / 2] / commands.size(),
                check[0] / commands.size());
    }

    /** CPU nanoseconds per call of {@code op}, one figure per round, sorted. */
    private static double[] measure(int rounds, IntSupplier op) {
        long sink = 0;
        long start = THREADS.getCurrentThreadCpuTime();
        while (THREADS.getCurrentThreadCpuTime() - start < WARMUP_CPU_NANOS) {
            sink += op.getAsInt();
        }
        double[] perCall = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            int calls = 0;
            long c1;
            do {
                sink += op.getAsInt();
                calls++;
                c1 = THREADS.getCurrentThreadCpuTime();
            } while (c1 - c0 < ROUND_CPU_NANOS);
            perCall[r] = (c1 - c0) / (double) calls;
        }
        if (sink == 42) {
            System.err.print(""); // keeps the results alive
        }
        Arrays.sort(perCall);
        return perCall;
    }
}
