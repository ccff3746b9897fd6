package dev.loopline.cli;

import dev.loopline.core.diff.Diff;
import dev.loopline.core.guard.integrity.Finding;
import dev.loopline.core.guard.integrity.Severity;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "scan-diff",
        description =
                "Scan a unified diff for changes that game verification (removed, skipped or weakened"
                        + " tests, CI or build settings that let failures pass). Exit 5 if any finding of severity medium or high, 0 otherwise (low findings are informational).")
class ScanDiffCommand implements Callable<Integer> {

    @Parameters(
            arity = "0..1",
            paramLabel = "<diff>",
            description = "The diff file, or '-' (the default) for standard input.")
    String source;

    @Option(names = "--json", description = "Print {clean, findings:[{rule, severity, file, line, evidence}]}.")
    boolean json;

    @Option(
            names = "--min-severity",
            paramLabel = "<level>",
            defaultValue = "low",
            description = "Report findings of at least this severity: ${COMPLETION-CANDIDATES} (default: low).")
    Severity minSeverity;

    @Option(
            names = "--stdin",
            description = "Batch: one diff per line on standard input, each a JSON string literal; one JSON"
                    + " line out per diff; exit code of the worst.")
    boolean stdin;

    record FindingJson(String rule, String severity, String file, int line, String evidence)
            implements GuardJson.Writable {
        static FindingJson of(Finding f) {
            return new FindingJson(f.ruleId(), GuardJson.word(f.severity()), f.file(), f.line(), f.evidence());
        }

        @Override
        public void write(GuardJson.Fields json) throws IOException {
            json.string("rule", rule)
                    .string("severity", severity)
                    .string("file", file)
                    .number("line", line)
                    .string("evidence", evidence);
        }
    }

    /** The report; {@code line} only in batch mode. */
    record Report(Integer line, boolean clean, List<FindingJson> findings) implements GuardJson.Writable {
        @Override
        public void write(GuardJson.Fields json) throws IOException {
            json.number("line", line).bool("clean", clean).objects("findings", findings);
        }
    }

    @Override
    public Integer call() {
        if (stdin) {
            if (source != null) {
                throw new UsageException("give a diff file or use --stdin, not both");
            }
            return Batch.run("diff", this::judge);
        }
        String text = Inputs.readText(source, "diff");
        List<Finding> findings = scan(text, Inputs.describe(source));
        PrintStream out = Inputs.stdout();
        if (json) {
            out.println(GuardJson.write(report(null, findings)));
        } else if (findings.isEmpty()) {
            out.println("clean");
        } else {
            for (Finding f : findings) {
                String where = f.file() == null ? "(diff)" : f.file() + (f.line() > 0 ? ":" + f.line() : "");
                out.printf("%-6s %-24s %s  %s%n", GuardJson.word(f.severity()), f.ruleId(), where, f.evidence());
            }
            String count = findings.size() + (findings.size() == 1 ? " finding" : " findings");
            out.println(clean(findings) ? "clean (" + count + ", low: informational)" : count);
        }
        out.flush();
        return exitCode(findings);
    }

    private List<Finding> scan(String text, String source) {
        Diff diff = Diffs.parse(text, source);
        return Diffs.scan(diff, text).stream()
                .filter(f -> f.severity().atLeast(minSeverity))
                .toList();
    }

    private Batch.Outcome judge(Batch.Item item) {
        if (!item.jsonString()) {
            return Batch.error(
                    item, ExitCodes.USAGE, "expected a JSON string literal holding one diff (a diff spans lines)");
        }
        List<Finding> findings;
        try {
            findings = scan(item.text(), "item");
        } catch (UsageException e) {
            return Batch.error(item, ExitCodes.USAGE, e.getMessage());
        }
        return new Batch.Outcome(report(item.line(), findings), exitCode(findings));
    }

    private static Report report(Integer line, List<Finding> findings) {
        return new Report(
                line, clean(findings), findings.stream().map(FindingJson::of).toList());
    }

    /**
     * Clean as the guard judges a proposal: no finding of severity medium or higher. Low findings (a CI file
     * changed, a snapshot updated with its component, an assertion rewritten as strong) are printed but
     * informational, as they are in a verdict and in the guard's {@code POST /api/v1/guard/diffs}.
     */
    static boolean clean(List<Finding> findings) {
        return findings.stream().noneMatch(f -> f.severity().atLeast(Severity.MEDIUM));
    }

    private static int exitCode(List<Finding> findings) {
        return clean(findings) ? ExitCodes.OK : ExitCodes.DIFF_FINDINGS;
    }
}
