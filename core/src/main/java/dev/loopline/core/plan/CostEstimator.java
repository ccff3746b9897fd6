package dev.loopline.core.plan;

import dev.loopline.core.spec.CadenceRange;
import dev.loopline.schemas.spec.LoopSpec;
import dev.loopline.schemas.spec.LoopSpec.Kind;
import dev.loopline.schemas.spec.LoopSpec.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tokens per run and per day for the loop-engineering scenarios — early exit (tokens_noop), full triage
 * (tokens_report), action every run (tokens_action) — from the spec's {@code cost} estimates, else defaults
 * per kind. Pure arithmetic.
 */
public final class CostEstimator {

    /** Default estimates per kind when a spec has none. An acting assisted-fix run pays per attempt. */
    public static final long REPORT_NOOP = 3_000;

    public static final long REPORT_FULL = 30_000;
    public static final long TRIAGE_NOOP = 3_000;
    public static final long TRIAGE_FULL = 20_000;
    public static final long FIX_NOOP = 5_000;
    public static final long FIX_REPORT = 50_000;
    public static final long FIX_ATTEMPT = 60_000;

    public CostEstimate cost(LoopSpec spec) {
        List<String> warnings = new ArrayList<>();
        LoopSpec.Cost defaults = defaults(spec);
        LoopSpec.Cost c = spec.cost();
        String source = "defaults for kind " + kindName(spec.kind());
        long noop = defaults.tokensNoop();
        long report = defaults.tokensReport();
        long action = defaults.tokensAction();
        if (c != null) {
            source = "spec";
            noop = c.tokensNoop() != null ? c.tokensNoop() : noop;
            report = c.tokensReport() != null ? c.tokensReport() : report;
            action = c.tokensAction() != null ? c.tokensAction() : action;
        }

        CadenceRange range = CadenceRange.parse(spec.cadence()).orElse(null);
        double fastest = range == null ? 1 : range.maxRunsPerDay();
        double slowest = range == null ? 1 : range.minRunsPerDay();
        if (range == null) {
            warnings.add("no cadence: estimated at one run a day");
        }
        Long runCap = spec.budget() == null ? null : spec.budget().tokensPerRun();
        Long dailyCap = spec.budget() == null ? null : spec.budget().dailyTokens();
        Level level = spec.level();
        if (level == Level.L0) {
            warnings.add("L0 plans only: no tokens are spent unless a run is started by hand");
        }
        if (dailyCap != null && action > dailyCap) {
            warnings.add("one acting run (" + action + " tokens) exceeds the daily cap (" + dailyCap
                    + "): an acting run can never finish within the cap");
        }

        List<CostEstimate.Scenario> scenarios = List.of(
                scenario("early-exit", noop, fastest, slowest, level != Level.L0, runCap, dailyCap),
                scenario("full-triage", report, fastest, slowest, level != Level.L0, runCap, dailyCap),
                scenario(
                        "action-every-run",
                        action,
                        fastest,
                        slowest,
                        level.compareTo(Level.L2) >= 0,
                        runCap,
                        dailyCap));
        boolean within = scenarios.stream()
                .filter(CostEstimate.Scenario::possibleAtLevel)
                .allMatch(s -> !Boolean.FALSE.equals(s.withinRunCap()));
        for (CostEstimate.Scenario s : scenarios) {
            if (s.possibleAtLevel() && Boolean.FALSE.equals(s.withinDailyCap())) {
                warnings.add(s.name() + ": " + s.tokensPerDay() + " tokens/day at the fastest cadence; the daily cap"
                        + " stops the loop after " + s.runsUntilDailyCap() + " such run(s)");
            }
        }
        return new CostEstimate(
                spec.id(),
                level,
                source,
                range == null ? null : range.normalized(),
                slowest,
                fastest,
                runCap,
                dailyCap,
                scenarios,
                within,
                warnings);
    }

    /** The default estimates for a spec's kind (an acting fix run pays every attempt). */
    public static LoopSpec.Cost defaults(LoopSpec spec) {
        return switch (spec.kind()) {
            case REPORT -> new LoopSpec.Cost(REPORT_NOOP, REPORT_FULL, REPORT_FULL);
            case TRIAGE -> new LoopSpec.Cost(TRIAGE_NOOP, TRIAGE_FULL, TRIAGE_FULL);
            case ASSISTED_FIX -> new LoopSpec.Cost(FIX_NOOP, FIX_REPORT, FIX_ATTEMPT * spec.maxAttempts());
        };
    }

    private static CostEstimate.Scenario scenario(
            String name, long perRun, double fastest, double slowest, boolean possible, Long runCap, Long dailyCap) {
        long perDay = (long) Math.floor(perRun * fastest);
        return new CostEstimate.Scenario(
                name,
                perRun,
                perDay,
                (long) Math.floor(perRun * slowest),
                possible,
                runCap == null ? null : perRun <= runCap,
                dailyCap == null ? null : perDay <= dailyCap,
                dailyCap == null || perRun == 0 ? null : dailyCap / perRun);
    }

    private static String kindName(Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
