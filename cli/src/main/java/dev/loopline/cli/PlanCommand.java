package dev.loopline.cli;

import dev.loopline.core.plan.ExecutionPlan;
import dev.loopline.core.plan.Planner;
import dev.loopline.core.spec.LoadedSpec;
import dev.loopline.schemas.spec.LoopSpec;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "plan",
        description = "Print the execution plan of a loop: cadence, runs per day, caps, action policy and"
                + " effective allowlist at its level (or --level).")
class PlanCommand implements Callable<Integer> {

    @Parameters(
            arity = "1..2",
            paramLabel = "[<spec|dir>] <loop>",
            description = "The loop id, read from --specs or the current directory; or a spec file or directory of"
                    + " specs followed by the loop id.")
    List<String> words;

    @Mixin
    SpecSources sources;

    @Option(names = "--level", paramLabel = "Lx", description = "Plan at this level instead of the declared one.")
    LoopSpec.Level level;

    @Option(names = "--json", description = "Print the plan as JSON.")
    boolean json;

    @Override
    public Integer call() {
        LoadedSpec spec = SpecOutput.loop(words, sources);
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
