package dev.loopline.bench.guard;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.loopline.schemas.json.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Writes the {@link CommandCorpus} as input for {@code loopline guard --stdin}: one command per line, and a
 * multi-line command (a heredoc) as one JSON string literal, as the batch mode reads it.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar dev.loopline.bench.guard.CommandFile 10000 42 > commands.txt}
 */
public final class CommandFile {

    private CommandFile() {}

    public static void main(String[] args) throws IOException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 42L;
        Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
        for (String command : CommandCorpus.generate(count, seed)) {
            out.write(line(command));
            out.write('\n');
        }
        out.flush();
    }

    static String line(String command) {
        boolean plain = command.indexOf('\n') < 0 && command.indexOf('\r') < 0 && !command.startsWith("\"");
        if (plain) {
            return command;
        }
        try {
            return Json.mapper().writeValueAsString(command);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
