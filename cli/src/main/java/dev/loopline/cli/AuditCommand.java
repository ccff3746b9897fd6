package dev.loopline.cli;

import dev.loopline.core.plan.Readiness;
import dev.loopline.core.plan.SpecAuditor;
import dev.loopline.core.spec.LoadedSpec;
import dev.loopline.core.spec.SpecLoadResult;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "audit",
        description = "Tell which level each loop is structurally ready for, what is missing and how to fix it."
                + " Exit 1 if a loop is not ready for its declared level (or a spec is invalid).")
class AuditCommand implements Callable<Integer> {

    @Parameters(
            arity = "0..2",
            paramLabel = "[<spec|dir>] [<loop>]",
            description = "A spec file or a directory of specs (default: --specs, else the current directory), and"
                    + " only this loop.")
    List<String> words;

    @Mixin
    SpecSources sources;

    @Option(names = "--json", description = "Print a JSON array with one readiness object per loop.")
    boolean json;

    @Override
    public Integer call() {
        SpecOutput.Selection selection = SpecOutput.selection(words, sources, false);
        SpecLoadResult result = selection.result();
        String loop = selection.loop();
        String path = selection.where();
        List<LoadedSpec> selected = SpecOutput.select(result, loop);
        if (loop != null && selected.isEmpty()) {
            SpecOutput.printProblems(result, System.err);
            System.err.println("no valid loop '" + loop + "' in " + path);
            return ExitCodes.USAGE;
        }
        SpecAuditor auditor = new SpecAuditor();
        List<Readiness> audits =
                selected.stream().map(s -> auditor.audit(s.spec())).toList();
        if (json) {
            System.out.println(SpecOutput.json(audits));
        } else {
            for (Readiness r : audits) {
                System.out.println(r.loop() + ": declared " + r.declared() + ", ready for " + r.readyFor() + " ("
                        + (r.ready() ? "ready" : "NOT READY") + ", score " + r.score() + ")");
                for (Readiness.Check c : r.checks()) {
                    System.out.println("  " + (c.passed() ? "ok   " : "miss ") + String.format("%-11s", c.name())
                            + c.detail() + (c.passed() ? "" : " -> " + c.fix()));
                }
            }
        }
        SpecOutput.printProblems(result, json ? System.err : System.out);
        boolean allReady = audits.stream().allMatch(Readiness::ready);
        return allReady && (loop != null || result.problems().isEmpty()) && !audits.isEmpty()
                ? ExitCodes.OK
                : ExitCodes.FAILURE;
    }
}
