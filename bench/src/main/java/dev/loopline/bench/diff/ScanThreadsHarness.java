package dev.loopline.bench.diff;

import dev.loopline.core.guard.integrity.IntegrityScanner;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One thread against several, in one JVM and in turns: the integrity scan of {@link DiffScanBenchmark}'s diff with
 * {@code new IntegrityScanner(1)} and with the default scanner (the common pool's workers and the caller). Per turn it
 * prints the process's CPU time per scan (what a scan costs, whatever thread did it) and the wall time (what the
 * second core buys), and the collector's time. The first turns warm the compiler up; read the last ones.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar dev.loopline.bench.diff.ScanThreadsHarness [turns] [seconds]}
 */
public final class ScanThreadsHarness {

    /** Where the scans' results go, so the compiler cannot drop the work. */
    private static volatile long sink;

    private ScanThreadsHarness() {}

    public static void main(String[] args) throws Exception {
        int turns = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 15;
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        DiffScanBenchmark bench = new DiffScanBenchmark();
        bench.setUp();
        try {
            String diff = bench.diffText();
            double mb = diff.getBytes(StandardCharsets.UTF_8).length / 1e6;
            IntegrityScanner[] scanners = {new IntegrityScanner(1), new IntegrityScanner()};
            String[] names = {"1 thread", "default"};
            for (int turn = 0; turn < turns; turn++) {
                for (int s = 0; s < scanners.length; s++) {
                    long end = System.nanoTime() + seconds * 1_000_000_000L;
                    long cpu0 = os.getProcessCpuTime();
                    long wall0 = System.nanoTime();
                    long gc0 = gcMillis();
                    int ops = 0;
                    while (System.nanoTime() < end) {
                        sink += scanners[s].scan(diff).size();
                        ops++;
                    }
                    double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6 / ops;
                    double wallMs = (System.nanoTime() - wall0) / 1e6 / ops;
                    System.out.printf(
                            Locale.ROOT,
                            "turn %d %-8s: %4d scans, process cpu %6.1f ms/scan (%5.1f MB/s), wall %6.1f ms/scan"
                                    + " (%5.1f MB/s), gc %d ms%n",
                            turn,
                            names[s],
                            ops,
                            cpuMs,
                            mb / (cpuMs / 1000),
                            wallMs,
                            mb / (wallMs / 1000),
                            gcMillis() - gc0);
                }
            }
        } finally {
            bench.tearDown();
        }
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }
}
