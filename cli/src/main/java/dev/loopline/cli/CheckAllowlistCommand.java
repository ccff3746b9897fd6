package dev.loopline.cli;

import dev.loopline.core.diff.Diff;
import dev.loopline.core.guard.integrity.Finding;
import dev.loopline.core.policy.AllowlistDecision;
import dev.loopline.core.policy.AllowlistPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "check-allowlist",
        description = "Decide whether a diff may merge unattended (L3): every path allowlisted, none denied (by"
                + " the policy or the built-in deny groups), within the file and line caps, and a clean integrity"
                + " scan. Exit 7 if not.")
class CheckAllowlistCommand implements Callable<Integer> {

    @Parameters(
            index = "0",
            paramLabel = "<policy>",
            description = "JSON or YAML: allow, deny, maxFiles, maxLines, caseInsensitive, removeDefaultDeny"
                    + " (or allow_globs, deny_globs, max_files, max_lines; or a loop-engineering gate.yaml).")
    String policy;

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "<diff>",
            description = "The diff file, or '-' (the default) for standard input.")
    String source;

    @Option(names = "--json", description = "Print {auto_ok, files_changed, lines_changed, reasons}.")
    boolean json;

    /** The earlier tool's shape, snake case included, so its callers keep working. */
    record Report(boolean autoOk, int filesChanged, int linesChanged, List<String> reasons)
            implements GuardJson.Writable {
        @Override
        public void write(GuardJson.Fields json) throws IOException {
            json.bool("auto_ok", autoOk)
                    .number("files_changed", filesChanged)
                    .number("lines_changed", linesChanged)
                    .strings("reasons", reasons);
        }
    }

    @Override
    public Integer call() {
        AllowlistPolicy rules = AllowlistPolicyFile.read(policy);
        String text = Inputs.readText(source, "diff");
        Report report = judge(rules, text, Inputs.describe(source));
        PrintStream out = Inputs.stdout();
        if (json) {
            out.println(GuardJson.write(report));
        } else {
            out.println((report.autoOk() ? "auto-ok" : "NOT AUTO-OK") + ": " + count(report.filesChanged(), "file")
                    + ", " + count(report.linesChanged(), "line"));
            report.reasons().forEach(r -> out.println("  " + r));
        }
        out.flush();
        return report.autoOk() ? ExitCodes.OK : ExitCodes.NOT_ALLOWED;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static Report judge(AllowlistPolicy rules, String text, String source) {
        Diff diff = Diffs.parse(text, source);
        List<String> reasons = new ArrayList<>();
        int files = 0;
        int lines = 0;
        boolean allowed = false;
        if (diff != null) {
            AllowlistDecision decision = rules.evaluate(diff);
            allowed = decision.allowed();
            files = decision.filesChanged();
            lines = decision.linesChanged();
            reasons.addAll(decision.reasons());
        }
        // the earlier tool's rule, kept: a diff that games its tests never merges unattended
        for (Finding f : Diffs.scan(diff, text)) {
            reasons.add("integrity: " + f.ruleId() + " (" + GuardJson.word(f.severity()) + ")"
                    + (f.file() == null ? "" : " in " + f.file() + (f.line() > 0 ? ":" + f.line() : ""))
                    + (f.evidence().isEmpty() ? "" : ": " + f.evidence()));
        }
        return new Report(allowed && reasons.isEmpty(), files, lines, reasons);
    }
}
