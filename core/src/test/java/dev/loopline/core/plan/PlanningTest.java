package dev.loopline.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.schemas.spec.LoopSpec;
import dev.loopline.schemas.spec.LoopSpec.Kind;
import dev.loopline.schemas.spec.LoopSpec.Level;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlanningTest {

    private static final LoopSpec.Target REPO = new LoopSpec.Target("/r", "main");
    private static final LoopSpec.Test TESTS = new LoopSpec.Test("./test.sh", 60);
    private static final LoopSpec.Maker MAKER = new LoopSpec.Maker("claude-code", null, null, null, null);
    private static final LoopSpec.Allowlist ALLOW = new LoopSpec.Allowlist(List.of("docs/**"), null, 5, 100);
    private static final LoopSpec.Budget CAP = new LoopSpec.Budget(100_000L, 1_000_000L, 3);

    private static LoopSpec spec(
            Kind kind,
            Level level,
            LoopSpec.Test test,
            LoopSpec.Maker maker,
            LoopSpec.Allowlist allow,
            LoopSpec.Budget budget) {
        return LoopSpec.builder("l", kind, level, REPO)
                .cadence("1h")
                .test(test)
                .maker(maker)
                .allowlist(allow)
                .budget(budget)
                .build();
    }

    static Stream<Arguments> readinessCases() {
        return Stream.of(
                Arguments.of(
                        "report with a cap",
                        spec(Kind.REPORT, Level.L1, null, null, null, CAP),
                        Level.L1,
                        true,
                        List.of()),
                Arguments.of(
                        "no cap at L1",
                        spec(Kind.REPORT, Level.L1, null, null, null, null),
                        Level.L0,
                        false,
                        List.of("budget-cap")),
                Arguments.of(
                        "no cap at L0 is fine",
                        spec(Kind.REPORT, Level.L0, null, null, null, null),
                        Level.L0,
                        true,
                        List.of()),
                Arguments.of(
                        "report cannot propose",
                        spec(Kind.REPORT, Level.L2, TESTS, MAKER, null, CAP),
                        Level.L1,
                        false,
                        List.of("kind")),
                Arguments.of(
                        "fix without tests",
                        spec(Kind.ASSISTED_FIX, Level.L2, null, MAKER, null, CAP),
                        Level.L1,
                        false,
                        List.of("verifier")),
                Arguments.of(
                        "fix without maker",
                        spec(Kind.ASSISTED_FIX, Level.L2, TESTS, null, null, CAP),
                        Level.L1,
                        false,
                        List.of("maker")),
                Arguments.of(
                        "complete L2",
                        spec(Kind.ASSISTED_FIX, Level.L2, TESTS, MAKER, null, CAP),
                        Level.L2,
                        true,
                        List.of()),
                Arguments.of(
                        "L3 without allowlist",
                        spec(Kind.ASSISTED_FIX, Level.L3, TESTS, MAKER, null, CAP),
                        Level.L2,
                        false,
                        List.of("allowlist")),
                Arguments.of(
                        "L3 with an empty allowlist",
                        spec(
                                Kind.ASSISTED_FIX,
                                Level.L3,
                                TESTS,
                                MAKER,
                                new LoopSpec.Allowlist(List.of(), List.of("x"), null, null),
                                CAP),
                        Level.L2,
                        false,
                        List.of("allowlist")),
                Arguments.of(
                        "complete L3",
                        spec(Kind.ASSISTED_FIX, Level.L3, TESTS, MAKER, ALLOW, CAP),
                        Level.L3,
                        true,
                        List.of()),
                Arguments.of(
                        "L3 missing everything",
                        spec(Kind.REPORT, Level.L3, null, null, null, null),
                        Level.L0,
                        false,
                        List.of("budget-cap", "kind", "verifier", "maker", "allowlist")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readinessCases")
    void auditTellsTheLevelASpecIsReadyFor(
            String name, LoopSpec spec, Level readyFor, boolean ready, List<String> missingChecks) {
        Readiness r = new SpecAuditor().audit(spec);

        assertThat(r.readyFor()).isEqualTo(readyFor);
        assertThat(r.ready()).isEqualTo(ready);
        assertThat(r.missing()).hasSize(missingChecks.size());
        for (int i = 0; i < missingChecks.size(); i++) {
            assertThat(r.missing().get(i)).startsWith(missingChecks.get(i) + ": ");
        }
    }

    @Test
    void auditScoresPassedChecks() {
        Readiness complete = new SpecAuditor().audit(spec(Kind.ASSISTED_FIX, Level.L3, TESTS, MAKER, ALLOW, CAP));
        Readiness bare = new SpecAuditor().audit(spec(Kind.REPORT, Level.L1, null, null, null, null));

        assertThat(complete.score()).isEqualTo(100);
        assertThat(bare.score()).isEqualTo(17);
    }

    static Stream<Arguments> policyCases() {
        return Stream.of(
                Arguments.of(Level.L0, "plan-only", false, true, "none"),
                Arguments.of(Level.L1, "report-only", false, true, "none"),
                Arguments.of(Level.L2, "propose", true, true, "none"),
                Arguments.of(Level.L3, "unattended", true, false, "fast-forward"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policyCases")
    void eachLevelHasItsActionPolicy(Level level, String mode, boolean maker, boolean approval, String merge) {
        ExecutionPlan plan = new Planner().plan(spec(Kind.ASSISTED_FIX, Level.L3, TESTS, MAKER, ALLOW, CAP), level);

        assertThat(plan.effective()).isEqualTo(level);
        assertThat(plan.policy().mode()).isEqualTo(mode);
        assertThat(plan.policy().runsMaker()).isEqualTo(maker);
        assertThat(plan.policy().humanApproval()).isEqualTo(approval);
        assertThat(plan.policy().merge()).isEqualTo(merge);
        assertThat(plan.allowlist() != null).isEqualTo(level == Level.L3);
    }

    @Test
    void l3PlanAddsTheDefaultDenyListAndFallsBackToL2OutsideTheAllowlist() {
        LoopSpec spec = spec(
                Kind.ASSISTED_FIX,
                Level.L3,
                TESTS,
                MAKER,
                new LoopSpec.Allowlist(List.of("src/**"), List.of("src/gen/**"), 3, 50),
                CAP);

        ExecutionPlan plan = new Planner().plan(spec);

        assertThat(plan.allowlist().allow()).containsExactly("src/**");
        assertThat(plan.allowlist().deny()).containsExactly("src/gen/**");
        assertThat(plan.allowlist().defaultDeny()).contains(".github/workflows/**", "**/.env", "**/migrations/**");
        assertThat(plan.policy().outsideAllowlist()).contains("L2");
        assertThat(plan.caps().reportOnlyAtTokens()).isEqualTo(800_000L);
        assertThat(plan.schedule().runsPerDayMax()).isEqualTo(24.0);
    }

    @Test
    void aLevelTheSpecIsNotReadyForIsLoweredWithTheReason() {
        ExecutionPlan plan = new Planner().plan(spec(Kind.ASSISTED_FIX, Level.L1, TESTS, MAKER, null, CAP), Level.L3);

        assertThat(plan.requested()).isEqualTo(Level.L3);
        assertThat(plan.effective()).isEqualTo(Level.L2);
        assertThat(plan.notes())
                .anySatisfy(n -> assertThat(n).contains("not ready for L3").contains("allowlist"));
    }

    static Stream<Arguments> costCases() {
        LoopSpec.Cost registry = new LoopSpec.Cost(5_000L, 50_000L, 200_000L);
        return Stream.of(
                // daily-triage as published: 1d-2h read as 2h-1d, action 200k > daily cap 100k
                Arguments.of(
                        "registry estimates, report-only",
                        withCost(
                                spec(
                                        Kind.ASSISTED_FIX,
                                        Level.L1,
                                        null,
                                        MAKER,
                                        null,
                                        new LoopSpec.Budget(200_000L, 100_000L, null)),
                                "2h-1d",
                                registry),
                        List.of(60_000L, 600_000L, 2_400_000L),
                        List.of(true, true, false),
                        true),
                Arguments.of(
                        "defaults for a fix loop pay every attempt",
                        withCost(
                                spec(
                                        Kind.ASSISTED_FIX,
                                        Level.L2,
                                        TESTS,
                                        MAKER,
                                        null,
                                        new LoopSpec.Budget(100_000L, null, 2)),
                                "1d",
                                null),
                        List.of(5_000L, 50_000L, 120_000L),
                        List.of(true, true, true),
                        false),
                Arguments.of(
                        "defaults for a report loop",
                        withCost(spec(Kind.REPORT, Level.L1, null, null, null, null), "30m", null),
                        List.of(144_000L, 1_440_000L, 1_440_000L),
                        List.of(true, true, false),
                        true),
                Arguments.of(
                        "L0 spends nothing by itself",
                        withCost(
                                spec(Kind.TRIAGE, Level.L0, null, null, null, new LoopSpec.Budget(1_000L, null, null)),
                                null,
                                null),
                        List.of(3_000L, 20_000L, 20_000L),
                        List.of(false, false, false),
                        true));
    }

    private static LoopSpec withCost(LoopSpec s, String cadence, LoopSpec.Cost cost) {
        return s.toBuilder().cadence(cadence).cost(cost).build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("costCases")
    void costOfEachScenarioAgainstTheCaps(
            String name, LoopSpec spec, List<Long> perDay, List<Boolean> possible, boolean withinCaps) {
        CostEstimate c = new CostEstimator().cost(spec);

        assertThat(c.scenarios())
                .extracting(CostEstimate.Scenario::name)
                .containsExactly("early-exit", "full-triage", "action-every-run");
        assertThat(c.scenarios())
                .extracting(CostEstimate.Scenario::tokensPerDay)
                .containsExactlyElementsOf(perDay);
        assertThat(c.scenarios())
                .extracting(CostEstimate.Scenario::possibleAtLevel)
                .containsExactlyElementsOf(possible);
        assertThat(c.withinCaps()).isEqualTo(withinCaps);
    }

    @Test
    void anActingRunLargerThanTheDailyCapIsWarned() {
        LoopSpec dailyTriage = withCost(
                spec(Kind.ASSISTED_FIX, Level.L1, null, MAKER, null, new LoopSpec.Budget(200_000L, 100_000L, null)),
                "2h-1d",
                new LoopSpec.Cost(5_000L, 50_000L, 200_000L));

        CostEstimate c = new CostEstimator().cost(dailyTriage);

        assertThat(c.estimateSource()).isEqualTo("spec");
        assertThat(c.runsPerDayMin()).isEqualTo(1.0);
        assertThat(c.runsPerDayMax()).isEqualTo(12.0);
        assertThat(c.scenarios().get(1).runsUntilDailyCap()).isEqualTo(2L);
        assertThat(c.warnings()).anySatisfy(w -> assertThat(w).contains("exceeds the daily cap (100000)"));
    }
}
