package dev.loopline.cli;

import dev.loopline.core.plan.ExecutionPlan;
import dev.loopline.core.plan.Planner;
import dev.loopline.core.spec.LoadedSpec;
import dev.loopline.core.spec.SpecLoadResult;
import dev.loopline.schemas.spec.LoopSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "plan",
        description = "Print the execution plan of a loop: cadence, runs per day, caps, action policy and"
                + " effective allowlist at its level (or --level).")
class PlanCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<spec|dir>", description = "A spec file or a directory of specs.")
    Path path;

    @Parameters(index = "1", paramLabel = "<loop>", description = "The loop id.")
    String loop;

    @Option(names = "--level", paramLabel = "Lx", description = "Plan at this level instead of the declared one.")
    LoopSpec.Level level;

    @Option(names = "--json", description = "Print the plan as JSON.")
    boolean json;

    @Override
    public Integer call() {
        if (!SpecOutput.exists(path)) {
            System.err.println(path + ": no such file or directory");
            return ExitCodes.USAGE;
        }
        SpecLoadResult result = SpecOutput.load(path);
        List<LoadedSpec> selected = SpecOutput.select(result, loop);
        if (selected.isEmpty()) {
            SpecOutput.printProblems(result, System.err);
            System.err.println("no valid loop '" + loop + "' in " + path + "; loops: "
                    + result.specs().stream().map(s -> s.spec().id()).toList());
            return ExitCodes.USAGE;
        }
        LoadedSpec spec = selected.get(0);
        ExecutionPlan plan =
                new Planner().plan(spec.spec(), level == null ? spec.spec().level() : level);
        if (json) {
            System.out.println(SpecOutput.json(plan));
            return ExitCodes.OK;
        }
        ExecutionPlan.Schedule s = plan.schedule();
        ExecutionPlan.Caps c = plan.caps();
        System.out.println("loop       " + plan.loop() + "  (" + spec.format().label() + ", " + spec.file() + ")");
        System.out.println(
                "level      " + plan.effective() + " " + plan.policy().mode()
                        + (plan.effective() != plan.requested() ? " (requested " + plan.requested() + ")" : ""));
        System.out.println("cadence    "
                + (s.cadence() == null
                        ? "manual"
                        : s.cadence() + "  (" + s.runsPerDayMin()
                                + (s.runsPerDayMin() == s.runsPerDayMax() ? "" : "–" + s.runsPerDayMax())
                                + " runs/day)")
                + "  priority " + s.priority() + (plan.paused() ? "  PAUSED" : ""));
        System.out.println("caps       tokens/run " + SpecOutput.nullable(c.tokensPerRun(), "none")
                + ", tokens/day " + SpecOutput.nullable(c.dailyTokens(), "none")
                + ", attempts " + c.maxAttempts()
                + (c.wallClockSeconds() == null ? "" : ", wall clock " + c.wallClockSeconds() + "s")
                + (c.testTimeoutSeconds() == null ? "" : ", test timeout " + c.testTimeoutSeconds() + "s"));
        System.out.println("actions    " + plan.policy().description());
        if (plan.allowlist() != null) {
            System.out.println("allow      " + plan.allowlist().allow());
            System.out.println("deny       " + plan.allowlist().deny() + " + default "
                    + plan.allowlist().defaultDeny());
            System.out.println("limits     max files "
                    + SpecOutput.nullable(plan.allowlist().maxFiles(), "none") + ", max lines "
                    + SpecOutput.nullable(plan.allowlist().maxLines(), "none"));
        }
        Object gates = spec.attributes().get("human_gates");
        if (gates != null) {
            System.out.println("gates      " + gates);
        }
        plan.notes().forEach(n -> System.out.println("note       " + n));
        return ExitCodes.OK;
    }
}
