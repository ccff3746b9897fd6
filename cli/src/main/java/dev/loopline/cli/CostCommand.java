package dev.loopline.cli;

import dev.loopline.core.plan.CostEstimate;
import dev.loopline.core.plan.CostEstimator;
import dev.loopline.core.spec.LoadedSpec;
import dev.loopline.core.spec.SpecLoadResult;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "cost",
        description = "Tokens per run and per day of each loop for the early-exit, full-triage and"
                + " action-every-run scenarios, against its caps. Exit 1 if a run possible at the loop's"
                + " level exceeds the per-run cap (or a spec is invalid).")
class CostCommand implements Callable<Integer> {

    @Parameters(
            arity = "0..2",
            paramLabel = "[<spec|dir>] [<loop>]",
            description = "A spec file or a directory of specs (default: --specs, else the current directory), and"
                    + " only this loop.")
    List<String> words;

    @Mixin
    SpecSources sources;

    @Option(names = "--json", description = "Print a JSON array with one estimate per loop.")
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
        CostEstimator estimator = new CostEstimator();
        List<CostEstimate> costs =
                selected.stream().map(s -> estimator.cost(s.spec())).toList();
        if (json) {
            System.out.println(SpecOutput.json(costs));
        } else {
            for (CostEstimate c : costs) {
                System.out.println(
                        c.loop() + ": " + c.level() + ", cadence " + SpecOutput.nullable(c.cadence(), "manual")
                                + " (" + c.runsPerDayMin()
                                + (c.runsPerDayMin() == c.runsPerDayMax() ? "" : "–" + c.runsPerDayMax())
                                + " runs/day), estimates from " + c.estimateSource() + "; caps "
                                + SpecOutput.nullable(c.tokensPerRunCap(), "none")
                                + "/run, " + SpecOutput.nullable(c.dailyTokensCap(), "none") + "/day"
                                + (c.withinCaps() ? "" : "  OVER PER-RUN CAP"));
                for (CostEstimate.Scenario s : c.scenarios()) {
                    System.out.printf(
                            "  %-17s %9d/run %11d/day%s%s%n",
                            s.name(),
                            s.tokensPerRun(),
                            s.tokensPerDay(),
                            s.possibleAtLevel() ? "" : "  (not at " + c.level() + ")",
                            Boolean.FALSE.equals(s.withinRunCap()) ? "  over per-run cap" : "");
                }
                c.warnings().forEach(w -> System.out.println("  warning  " + w));
            }
        }
        SpecOutput.printProblems(result, json ? System.err : System.out);
        boolean within = costs.stream().allMatch(CostEstimate::withinCaps);
        return within && (loop != null || result.problems().isEmpty()) && !costs.isEmpty()
                ? ExitCodes.OK
                : ExitCodes.FAILURE;
    }
}
