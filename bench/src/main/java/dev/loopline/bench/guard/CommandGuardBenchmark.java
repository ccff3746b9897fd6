package dev.loopline.bench.guard;

import dev.loopline.core.guard.command.CommandGuard;
import dev.loopline.core.guard.command.Decision;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Average time for the command guard to decide one command, over 10,000 deterministic mixed commands. The score
 * is per command (operations per invocation = corpus size).
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar CommandGuard -f 1 -wi 2 -i 3 -w 2s -r 2s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CommandGuardBenchmark {
    static final int COMMANDS = 10_000;

    private List<String> commands;
    private CommandGuard guard;

    @Setup
    public void setUp() {
        commands = CommandCorpus.generate(COMMANDS, 42L);
        guard = CommandGuard.defaults();
        long blocked = commands.stream().filter(c -> !guard.check(c).allowed()).count();
        System.out.printf("%n[corpus] %d commands, %d blocked%n", commands.size(), blocked);
    }

    @Benchmark
    @OperationsPerInvocation(COMMANDS)
    public void checkMixedCommands(Blackhole bh) {
        for (String c : commands) {
            Decision d = guard.check(c);
            bh.consume(d);
        }
    }
}
