package dev.loopline.core.plan;

import dev.loopline.schemas.spec.LoopSpec;
import dev.loopline.schemas.spec.LoopSpec.Kind;
import dev.loopline.schemas.spec.LoopSpec.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Structural readiness of a spec for an autonomy level (a pure rule on the spec; no I/O).
 *
 * <ul>
 *   <li>L0 (plan only): always.
 *   <li>L1 (report-only): a budget cap (daily or per-run). The verifier of a report is Loopline's built-in
 *       grounded-citation check, so no test command is needed to report.
 *   <li>L2 (propose): L1, kind {@code assisted-fix}, a maker, and a verifier: the test command.
 *   <li>L3 (unattended): L2 and an allowlist with at least one allow glob.
 * </ul>
 */
public final class SpecAuditor {

    public Readiness audit(LoopSpec spec) {
        List<Readiness.Check> checks = new ArrayList<>();
        boolean assisted = spec.kind() == Kind.ASSISTED_FIX;
        LoopSpec.Budget budget = spec.budget();

        checks.add(
                spec.cadence() != null
                                || spec.cron() != null
                                || !spec.onOrEmpty().isEmpty()
                        ? pass("trigger", triggerDetail(spec), null)
                        : fail(
                                "trigger",
                                "no cadence, cron or event trigger: runs only when triggered by hand",
                                "set cadence, e.g. 1d or 5m-15m, cron, e.g. '30 2 * * *', or on (webhook events)",
                                null));

        boolean capped = budget != null && (budget.dailyTokens() != null || budget.tokensPerRun() != null);
        checks.add(
                capped
                        ? pass("budget-cap", capDetail(budget), Level.L1)
                        : fail(
                                "budget-cap",
                                "no token cap: nothing stops a runaway loop",
                                "set budget.dailyTokens (and budget.tokensPerRun)",
                                Level.L1));

        checks.add(
                assisted
                        ? pass("kind", "assisted-fix: may propose changes", Level.L2)
                        : fail(
                                "kind",
                                spec.kind().name().toLowerCase(java.util.Locale.ROOT) + " loops only report",
                                "set kind: assisted-fix to let the loop propose changes",
                                Level.L2));

        boolean verifier = spec.test() != null && spec.test().command() != null;
        checks.add(
                verifier
                        ? pass("verifier", "test command: " + spec.test().command(), Level.L2)
                        : fail(
                                "verifier",
                                "no test command: a proposed change cannot be verified",
                                "set test.command (exit 0 = change accepted)",
                                Level.L2));

        checks.add(
                spec.maker() != null
                        ? pass("maker", "maker " + spec.maker().type(), Level.L2)
                        : fail(
                                "maker",
                                "no maker: nothing can write a change",
                                "add maker.type (claude-code, shell, openai, anthropic, mock)",
                                Level.L2));

        LoopSpec.Allowlist allowlist = spec.allowlist();
        boolean allowed = allowlist != null
                && allowlist.allow() != null
                && !allowlist.allow().isEmpty();
        checks.add(
                allowed
                        ? pass("allowlist", allowlist.allow().size() + " allow glob(s)", Level.L3)
                        : fail(
                                "allowlist",
                                "no allow globs: every change needs a human",
                                "add allowlist.allow globs for paths safe to merge unattended",
                                Level.L3));

        Level readyFor = Level.L0;
        for (Level level : List.of(Level.L1, Level.L2, Level.L3)) {
            boolean met = checks.stream()
                    .filter(c -> c.requiredFor() != null && c.requiredFor().compareTo(level) <= 0)
                    .allMatch(Readiness.Check::passed);
            if (!met) {
                break;
            }
            readyFor = level;
        }
        List<String> missing = checks.stream()
                .filter(c -> !c.passed()
                        && c.requiredFor() != null
                        && c.requiredFor().compareTo(spec.level()) <= 0)
                .map(c -> c.name() + ": " + c.fix())
                .toList();
        long passed = checks.stream().filter(Readiness.Check::passed).count();
        int score = (int) Math.round(100.0 * passed / checks.size());
        return new Readiness(
                spec.id(), spec.level(), readyFor, readyFor.compareTo(spec.level()) >= 0, score, checks, missing);
    }

    private static String capDetail(LoopSpec.Budget b) {
        List<String> parts = new ArrayList<>();
        if (b.dailyTokens() != null) {
            parts.add(b.dailyTokens() + " tokens/day");
        }
        if (b.tokensPerRun() != null) {
            parts.add(b.tokensPerRun() + " tokens/run");
        }
        return String.join(", ", parts);
    }

    private static Readiness.Check pass(String name, String detail, Level requiredFor) {
        return new Readiness.Check(name, true, detail, null, requiredFor);
    }

    private static Readiness.Check fail(String name, String detail, String fix, Level requiredFor) {
        return new Readiness.Check(name, false, detail, fix, requiredFor);
    }

    private static String triggerDetail(LoopSpec spec) {
        List<String> parts = new ArrayList<>();
        if (spec.cadence() != null) {
            parts.add("cadence " + spec.cadence());
        }
        if (spec.cron() != null) {
            parts.add("cron " + spec.cron() + " (" + spec.timezoneOrDefault() + ")");
        }
        for (LoopSpec.EventTrigger t : spec.onOrEmpty()) {
            parts.add("on " + t.source().wireName() + " " + t.event().wireName() + " in " + t.repo());
        }
        return String.join(", ", parts);
    }
}
