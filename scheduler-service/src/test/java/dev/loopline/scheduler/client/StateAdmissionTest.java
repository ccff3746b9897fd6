package dev.loopline.scheduler.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopline.scheduler.service.Admission.Decision;
import dev.loopline.scheduler.service.Admission.Decision.Verdict;
import dev.loopline.schemas.control.BudgetAlert;
import dev.loopline.schemas.control.ControlScope;
import dev.loopline.schemas.control.ControlSnapshot;
import dev.loopline.schemas.control.KillSwitch;
import dev.loopline.schemas.spec.LoopSpec;
import dev.loopline.testsupport.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StateAdmissionTest {

    private static final Instant T0 = Instant.parse("2026-11-21T09:00:00Z");
    private final MutableClock clock = new MutableClock(T0);
    private final StateStub state = new StateStub("viewer-token");
    private final StateAdmission admission =
            new StateAdmission(HttpClient.newHttpClient(), state.url(), "viewer-token", Duration.ofSeconds(15), clock);

    @AfterEach
    void stop() {
        state.close();
    }

    private static KillSwitch kill(ControlScope scope, String id) {
        return new KillSwitch(scope, id, KillSwitch.State.KILLED, "runaway spend", "alice", T0.minusSeconds(60));
    }

    private static BudgetAlert budget(ControlScope kind, String id, BudgetAlert.Action action) {
        return new BudgetAlert(
                null,
                kind,
                id,
                LocalDate.parse("2026-11-21"),
                action,
                action == BudgetAlert.Action.HALT ? 100 : 80,
                80_000,
                100_000,
                Instant.parse("2026-11-22T00:00:00Z"),
                T0.minusSeconds(30));
    }

    private void serve(List<KillSwitch> kills, List<BudgetAlert> alerts) {
        state.serve(new ControlSnapshot(T0, kills, alerts));
        assertThat(admission.refresh()).isTrue();
    }

    @Test
    void allowsALoopWhenNothingIsInForce() {
        serve(List.of(), List.of());

        assertThat(admission.check("docs-loop", "platform")).isEqualTo(Decision.allow());
    }

    @Test
    void refusesALoopWhoseTeamIsKilledNamingWhoAndWhy() {
        serve(List.of(kill(ControlScope.TEAM, "platform")), List.of());

        Decision decision = admission.check("docs-loop", "platform");

        assertThat(decision.verdict()).isEqualTo(Verdict.REFUSE);
        assertThat(decision.reason()).contains("team:platform", "alice", "runaway spend");
        assertThat(admission.check("other-loop", "search")).isEqualTo(Decision.allow());
    }

    @Test
    void refusesEveryLoopUnderAGlobalKill() {
        serve(List.of(kill(ControlScope.GLOBAL, null)), List.of());

        assertThat(admission.check("docs-loop", "platform").verdict()).isEqualTo(Verdict.REFUSE);
        assertThat(admission.check("other-loop", "search").verdict()).isEqualTo(Verdict.REFUSE);
    }

    @Test
    void refusesALoopOverItsBudgetAndCapsOneInReportOnlyToL1() {
        serve(
                List.of(),
                List.of(
                        budget(ControlScope.LOOP, "spender", BudgetAlert.Action.HALT),
                        budget(ControlScope.TEAM, "search", BudgetAlert.Action.REPORT_ONLY)));

        Decision halted = admission.check("spender", "platform");
        Decision limited = admission.check("indexer", "search");

        assertThat(halted.verdict()).isEqualTo(Verdict.REFUSE);
        assertThat(halted.reason()).contains("budget halt", "loop:spender");
        assertThat(limited.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(limited.levelCap()).isEqualTo(LoopSpec.Level.L1);
        assertThat(limited.reason()).contains("report-only", "team:search");
    }

    @Test
    void aBudgetHaltLapsesWhenTheScopesDayResets() {
        serve(List.of(), List.of(budget(ControlScope.LOOP, "spender", BudgetAlert.Action.HALT)));
        clock.advance(Duration.ofHours(15));
        state.serve(new ControlSnapshot(
                clock.instant(), List.of(), List.of(budget(ControlScope.LOOP, "spender", BudgetAlert.Action.HALT))));
        admission.refresh();

        assertThat(admission.check("spender", "platform")).isEqualTo(Decision.allow());
    }

    @Test
    void nothingRunsBeforeStateServiceHasAnswered() {
        state.failWith(503);

        assertThat(admission.refresh()).isFalse();
        Decision decision = admission.check("docs-loop", "platform");

        assertThat(decision.verdict()).isEqualTo(Verdict.UNAVAILABLE);
        assertThat(decision.reason()).contains("503");
    }

    @Test
    void nothingRunsOnceTheLastAnswerIsOlderThanTheMaxAge() {
        serve(List.of(), List.of());
        state.failWith(500);

        clock.advance(Duration.ofSeconds(10));
        assertThat(admission.refresh()).isFalse();
        assertThat(admission.check("docs-loop", "platform")).isEqualTo(Decision.allow());

        clock.advance(Duration.ofSeconds(6));
        Decision stale = admission.check("docs-loop", "platform");
        assertThat(stale.verdict()).isEqualTo(Verdict.UNAVAILABLE);
        assertThat(stale.reason()).contains("no answer from state-service since " + T0, "500");
    }

    @Test
    void anUnreachableStateServiceIsUnavailable() {
        StateAdmission nowhere = new StateAdmission(
                HttpClient.newHttpClient(), URI.create("http://127.0.0.1:1"), "t", Duration.ofSeconds(15), clock);

        assertThat(nowhere.refresh()).isFalse();
        assertThat(nowhere.check("docs-loop", "platform").reason()).contains("cannot reach state-service");
    }

    @Test
    void aRefusedTokenIsUnavailableAndSaysWhichSettingToCheck() {
        StateAdmission wrongToken =
                new StateAdmission(HttpClient.newHttpClient(), state.url(), "wrong", Duration.ofSeconds(15), clock);

        assertThat(wrongToken.refresh()).isFalse();
        assertThat(wrongToken.check("docs-loop", "platform").reason())
                .contains("401", "loopline.scheduler.state.token");
    }

    @Test
    void anUnreadableSnapshotKeepsThePreviousBoardUntilItIsStale() {
        serve(List.of(kill(ControlScope.LOOP, "docs-loop")), List.of());
        state.serveRaw("{\"asOf\": \"not a time\"");

        assertThat(admission.refresh()).isFalse();
        assertThat(admission.check("docs-loop", "platform").verdict()).isEqualTo(Verdict.REFUSE);

        clock.advance(Duration.ofSeconds(16));
        assertThat(admission.check("docs-loop", "platform").reason()).contains("unreadable control snapshot");
    }

    @Test
    void theTestBaselineHaltsTheOverBudgetLoopOnly() {
        state.serve(StateStubTestResource.baseline());
        assertThat(admission.refresh()).isTrue();

        assertThat(admission
                        .check(StateStubTestResource.OVER_BUDGET_LOOP, "platform")
                        .verdict())
                .isEqualTo(Verdict.REFUSE);
        assertThat(admission.check("cadenced", "platform")).isEqualTo(Decision.allow());
    }

    @Test
    void refusesToStartWithoutAToken() {
        assertThatThrownBy(() ->
                        new StateAdmission(HttpClient.newHttpClient(), state.url(), " ", Duration.ofSeconds(15), clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopline.scheduler.state.token");
    }
}
