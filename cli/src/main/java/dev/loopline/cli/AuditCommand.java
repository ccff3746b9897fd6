package dev.loopline.cli;

import dev.loopline.core.plan.Readiness;
import dev.loopline.core.plan.SpecAuditor;
import dev.loopline.core.spec.LoadedSpec;
import dev.loopline.core.spec.SpecLoadResult;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "audit",
        description = "Tell which level each loop is structurally ready for, what is missing and how to fix it."
                + " Exit 1 if a loop is not ready for its declared level (or a spec is invalid).")
class AuditCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<spec>", description = "A spec file or a directory of specs.")
    Path path;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<loop>", description = "Only this loop.")
    String loop;

    @Option(names = "--json", description = "Print a JSON array with one readiness object per loop.")
    boolean json;

    @Override
    public Integer call() {
        if (!SpecOutput.exists(path)) {
            System.err.println(path + ": no such file or directory");
            return ExitCodes.USAGE;
        }
        SpecLoadResult result = SpecOutput.load(path);
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
