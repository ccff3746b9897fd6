package dev.loopline.core.plan;

import dev.loopline.core.policy.DefaultDenyGroup;
import dev.loopline.core.spec.CadenceRange;
import dev.loopline.schemas.spec.LoopSpec;
import dev.loopline.schemas.spec.LoopSpec.Level;
import java.util.ArrayList;
import java.util.List;

/** Resolves a spec and a level into the execution plan the runtime enforces. Pure. */
public final class Planner {

    /** Share of the daily cap at which a loop drops to report-only (the loop-budget convention). */
    public static final double REPORT_ONLY_SHARE = 0.8;

    private final SpecAuditor auditor = new SpecAuditor();

    public ExecutionPlan plan(LoopSpec spec) {
        return plan(spec, spec.level());
    }

    public ExecutionPlan plan(LoopSpec spec, Level requested) {
        List<String> notes = new ArrayList<>();
        Readiness readiness = auditor.audit(spec);
        Level effective = requested;
        if (requested.compareTo(readiness.readyFor()) > 0) {
            effective = readiness.readyFor();
            List<String> missing = readiness.checks().stream()
                    .filter(c -> !c.passed()
                            && c.requiredFor() != null
                            && c.requiredFor().compareTo(requested) <= 0)
                    .map(c -> c.name() + ": " + c.fix())
                    .toList();
            notes.add("not ready for " + requested + ", runs at " + effective + " until fixed: "
                    + String.join("; ", missing));
        }
        if (requested != spec.level()) {
            notes.add("declared level is " + spec.level() + "; planned at " + requested + " as requested");
        }
        if (spec.isPaused()) {
            notes.add("paused: the scheduler skips this loop until it is resumed");
        }

        CadenceRange range = CadenceRange.parse(spec.cadence()).orElse(null);
        ExecutionPlan.Schedule schedule = range == null
                ? new ExecutionPlan.Schedule(null, null, null, 0, 0, spec.priorityOrDefault())
                : new ExecutionPlan.Schedule(
                        range.normalized(),
                        range.minSeconds(),
                        range.maxSeconds(),
                        range.minRunsPerDay(),
                        range.maxRunsPerDay(),
                        spec.priorityOrDefault());
        if (range == null) {
            notes.add("no cadence: runs only when triggered by hand");
        }

        LoopSpec.Budget b = spec.budget();
        Long daily = b == null ? null : b.dailyTokens();
        ExecutionPlan.Caps caps = new ExecutionPlan.Caps(
                b == null ? null : b.tokensPerRun(),
                daily,
                daily == null ? null : (long) Math.floor(daily * REPORT_ONLY_SHARE),
                spec.maxAttempts(),
                b == null ? null : b.wallClockSeconds(),
                spec.test() == null ? null : spec.test().timeoutSecondsOrDefault());
        if (daily != null) {
            notes.add("budget: report-only from " + caps.reportOnlyAtTokens() + " tokens today, halt at " + daily);
        }

        ExecutionPlan.EffectiveAllowlist allowlist = null;
        if (effective == Level.L3) {
            LoopSpec.Allowlist a = spec.allowlist();
            allowlist = new ExecutionPlan.EffectiveAllowlist(
                    a.allow(),
                    a.deny() == null ? List.of() : a.deny(),
                    DefaultDenyGroup.allGlobs(),
                    a.maxFiles(),
                    a.maxLines());
        }
        return new ExecutionPlan(
                spec.id(),
                spec.level(),
                requested,
                effective,
                spec.isPaused(),
                schedule,
                caps,
                policy(effective, spec),
                allowlist,
                notes);
    }

    static ExecutionPlan.ActionPolicy policy(Level level, LoopSpec spec) {
        String base = spec.target().baseRefOrDefault();
        return switch (level) {
            case L0 -> new ExecutionPlan.ActionPolicy(
                    "plan-only", false, false, true, "none", null, "plan only: no tick runs unless started by hand");
            case L1 -> new ExecutionPlan.ActionPolicy(
                    "report-only",
                    false,
                    false,
                    true,
                    "none",
                    null,
                    "triage and report; no maker, no writes, no branch");
            case L2 -> new ExecutionPlan.ActionPolicy(
                    "propose",
                    true,
                    true,
                    true,
                    "none",
                    null,
                    "maker in a throwaway worktree; a verified change is pushed to a branch and merged into " + base
                            + " only after a human approves that exact diff");
            case L3 -> new ExecutionPlan.ActionPolicy(
                    "unattended",
                    true,
                    true,
                    false,
                    "fast-forward",
                    "propose (L2): branch + human approval",
                    "a verified change inside the allowlist is fast-forward merged into " + base
                            + "; anything outside it falls back to L2");
        };
    }
}
