package dev.loopline.cli;

import dev.loopline.core.guard.injection.InjectionScanner;
import dev.loopline.core.guard.injection.ScanResult;
import dev.loopline.core.guard.injection.Severity;
import dev.loopline.core.guard.injection.Signal;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "scan-injection",
        description = "Score a text (an issue, a task, a tool result) for prompt injection: severity none, low,"
                + " medium or high, with the signals behind it. Exit 6 if high, else 0.")
class ScanInjectionCommand implements Callable<Integer> {

    @Parameters(
            arity = "0..1",
            paramLabel = "<file>",
            description = "The text file, or '-' (the default) for standard input.")
    String source;

    @Option(names = "--json", description = "Print {severity, signals:[{category, severity, evidence, encoding}]}.")
    boolean json;

    @Option(
            names = "--stdin",
            description = "Batch: one text per line on standard input, as a JSON string literal or the raw line;"
                    + " one JSON line out per text; exit code of the worst.")
    boolean stdin;

    record SignalJson(String category, String severity, String evidence, String encoding)
            implements GuardJson.Writable {
        static SignalJson of(Signal s) {
            return new SignalJson(
                    s.category().id(), GuardJson.word(s.severity()), s.evidence(), GuardJson.word(s.encoding()));
        }

        @Override
        public void write(GuardJson.Fields json) throws IOException {
            json.string("category", category)
                    .string("severity", severity)
                    .string("evidence", evidence)
                    .string("encoding", encoding);
        }
    }

    /** The report; {@code line} only in batch mode. */
    record Report(Integer line, String severity, List<SignalJson> signals) implements GuardJson.Writable {
        static Report of(Integer line, ScanResult result) {
            return new Report(
                    line,
                    GuardJson.word(result.severity()),
                    result.signals().stream().map(SignalJson::of).toList());
        }

        @Override
        public void write(GuardJson.Fields json) throws IOException {
            json.number("line", line).string("severity", severity).objects("signals", signals);
        }
    }

    @Override
    public Integer call() {
        // obtained here, not in a field: picocli builds every verb's object whichever verb runs
        InjectionScanner scanner = InjectionScanner.defaults();
        if (stdin) {
            if (source != null) {
                throw new UsageException("give a text file or use --stdin, not both");
            }
            return Batch.run("text", item -> {
                ScanResult result = scanner.scan(item.text());
                return new Batch.Outcome(Report.of(item.line(), result), exitCode(result));
            });
        }
        ScanResult result = scanner.scan(Inputs.readText(source, "text"));
        PrintStream out = Inputs.stdout();
        if (json) {
            out.println(GuardJson.write(Report.of(null, result)));
        } else {
            out.println("severity: " + GuardJson.word(result.severity()));
            for (Signal s : result.signals()) {
                out.printf(
                        "  %-6s %-20s %s%s%n",
                        GuardJson.word(s.severity()),
                        s.category().id(),
                        GuardJson.quote(s.evidence()),
                        s.encoded() ? "  (" + GuardJson.word(s.encoding()) + ")" : "");
            }
        }
        out.flush();
        return exitCode(result);
    }

    private static int exitCode(ScanResult result) {
        return result.severity() == Severity.HIGH ? ExitCodes.INJECTION_HIGH : ExitCodes.OK;
    }
}
