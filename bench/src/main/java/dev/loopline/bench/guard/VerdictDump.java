package dev.loopline.bench.guard;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopline.core.guard.command.CommandGuard;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes the command guard's decision on every command of the benchmark corpus (and of any JSON arrays of commands
 * given), one line each: the differential check for a change meant to make the guard faster without changing a
 * verdict. Run it on the jar before and after the change and compare the two files ({@code cmp}).
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar dev.loopline.bench.guard.VerdictDump out.txt [commands.json…]}
 */
public final class VerdictDump {
    private VerdictDump() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: VerdictDump <out.txt> [commands.json…]");
        }
        List<String> commands = new ArrayList<>(CommandCorpus.generate(CommandGuardBenchmark.COMMANDS, 42L));
        ObjectMapper json = new ObjectMapper();
        for (int i = 1; i < args.length; i++) {
            commands.addAll(Arrays.asList(json.readValue(Path.of(args[i]).toFile(), String[].class)));
        }
        CommandGuard guard = CommandGuard.defaults();
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[0])))) {
            for (String command : commands) {
                String decision;
                try {
                    decision = String.valueOf(guard.check(command));
                } catch (RuntimeException e) {
                    decision = "THROWS " + e;
                }
                out.println(escape(command) + "\t=> " + escape(decision));
            }
        }
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
