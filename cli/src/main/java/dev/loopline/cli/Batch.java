package dev.loopline.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * {@code --stdin} batch mode: one item per line in, one JSON line out per item, in one JVM. A line that is a
 * JSON string literal ({@code "..."}) carries an item that may span lines; any other line is the item itself.
 * Blank lines are skipped; an item that is empty after decoding, or a standard input with no item at all, is a
 * usage error, never "clean". The exit code is the worst (highest) item code.
 */
final class Batch {

    private Batch() {}

    /** One input line. {@code decoded} is the JSON-decoded text when the line is a JSON string literal. */
    record Item(int line, String raw, String decoded) {
        String text() {
            return decoded != null ? decoded : raw;
        }

        boolean jsonString() {
            return decoded != null;
        }
    }

    /** What to print for one item and the exit code it stands for. */
    record Outcome(GuardJson.Writable json, int exitCode) {}

    static Outcome error(Item item, int exitCode, String message) {
        return new Outcome(new GuardJson.ItemError(item.line(), message), exitCode);
    }

    static int run(String what, Function<Item, Outcome> judge) {
        PrintStream out = Inputs.stdout();
        int worst = ExitCodes.OK;
        int items = 0;
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                items++;
                Item item = new Item(lineNo, line, GuardJson.decodeStringLiteral(line));
                Outcome outcome;
                if (item.text().isBlank()) {
                    outcome = error(item, ExitCodes.USAGE, "empty " + what + "; an empty item is never clean");
                } else {
                    try {
                        outcome = judge.apply(item);
                    } catch (RuntimeException e) {
                        // one bad item must not hide the verdicts on the others; it still fails the batch
                        outcome = error(
                                item,
                                ExitCodes.FAILURE,
                                "internal error: " + e.getClass().getSimpleName());
                    }
                }
                out.println(GuardJson.write(outcome.json()));
                worst = Math.max(worst, outcome.exitCode());
            }
        } catch (IOException e) {
            out.flush();
            throw new UsageException("cannot read standard input (" + e.getMessage() + ")");
        }
        out.flush();
        if (items == 0) {
            throw new UsageException("standard input holds no " + what + "; --stdin expects one per line");
        }
        return worst;
    }
}
