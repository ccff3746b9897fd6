package dev.loopline.gate.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.core.auth.Caller;
import dev.loopline.core.auth.Role;
import dev.loopline.core.control.Admission;
import dev.loopline.gate.approval.ApprovalDecisions.Outcome;
import dev.loopline.gate.approval.ApprovalListener;
import dev.loopline.gate.approval.ApprovalNotice;
import dev.loopline.gate.approval.ApprovalNotice.Channel;
import dev.loopline.gate.approval.ApprovalNotice.State;
import dev.loopline.schemas.events.ApprovalRecorded;
import dev.loopline.schemas.events.ChangeDecided;
import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventType;
import dev.loopline.schemas.events.Finding;
import dev.loopline.schemas.http.ProblemType;
import dev.loopline.testsupport.MutableClock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Approval requests end to end on a real Postgres and a real bare git remote, without Quarkus. */
class ApprovalServiceTest {

    static final Caller ALICE = new Caller("alice", Role.APPROVER, "platform", false);
    static final Caller BOB = new Caller("bob", Role.APPROVER, "platform", false);
    static final Caller TESS = new Caller("tess", Role.APPROVER, "platform", false);
    static final Caller OLGA = new Caller("olga", Role.APPROVER, "payments", false);
    static final Caller VIC = new Caller("vic", Role.VIEWER, null, false);
    static final Caller BOOTSTRAP = new Caller("bootstrap", Role.ADMIN, null, true);

    private static ApprovalDatabase db;

    @TempDir
    Path tmp;

    private GitFixture repo;
    private MutableClock clock;

    @BeforeAll
    static void database() {
        db = ApprovalDatabase.named("gate_approvals");
    }

    @AfterAll
    static void closeDatabase() {
        db.close();
    }

    @BeforeEach
    void setUp() {
        db.truncate();
        repo = new GitFixture(tmp.resolve("repo"));
        clock = new MutableClock(ApprovalHarness.START);
    }

    private ApprovalHarness replica(String name, Map<String, Integer> quorum, ApprovalListener... extra) {
        return new ApprovalHarness(db, tmp.resolve(name), clock, quorum, List.of(extra));
    }

    private ChangeDecided openRequest(ApprovalHarness gate, String tickId) throws IOException {
        gate.store.recordTrigger(tickId, "manual", "tess", clock.instant());
        return gate.decideAndOpen(ApprovalHarness.verdict(repo, tickId, 1, "docs/guide.md", "# Guide\n\n" + tickId));
    }

    @Test
    void aQuorumOfTwoDistinctApproversFastForwardsMainOnceAndADoubleClickCountsOnce() throws IOException {
        ApprovalHarness gate = replica("a", Map.of(ApprovalHarness.LOOP, 2));
        String base = repo.mainOnRemote();
        ChangeDecided decided = openRequest(gate, "t-quorum");
        String id = ApprovalService.idFor("t-quorum", 1);

        assertThat(decided.decision()).isEqualTo(ChangeDecided.Decision.AWAITING_APPROVAL);
        assertThat(decided.reason()).contains("awaiting approval " + id, "2 approvers");
        Outcome first = gate.service.decide(id, true, ALICE, Channel.CLI, "looks right");
        Outcome doubleClick = gate.service.decide(id, true, ALICE, Channel.REST, null);

        assertThat(first.accepted()).isTrue();
        assertThat(first.message()).isEqualTo("approved by alice (1 of 2)");
        assertThat(doubleClick.accepted()).isTrue();
        assertThat(doubleClick.message()).startsWith("already approved by alice");
        assertThat(doubleClick.notice().votes()).hasSize(1);
        assertThat(repo.mainOnRemote()).isEqualTo(base);

        Outcome second = gate.service.decide(id, true, BOB, Channel.DASHBOARD, null);

        assertThat(second.accepted()).isTrue();
        assertThat(second.message()).contains("approved by bob (2 of 2)", "merged into main as " + decided.commit());
        assertThat(second.notice().state()).isEqualTo(State.MERGED);
        assertThat(repo.mainOnRemote()).isEqualTo(decided.commit());
        assertThat(repo.parentOf(decided.commit())).isEqualTo(base);
        assertThat(gate.recorded(ApprovalRecorded.Action.MERGED))
                .singleElement()
                .satisfies(merged -> {
                    assertThat(merged.commit()).isEqualTo(decided.commit());
                    assertThat(merged.approvals()).isEqualTo(2);
                    assertThat(merged.by()).isEqualTo("gate");
                });
        assertThat(gate.recorded(ApprovalRecorded.Action.APPROVED))
                .extracting(ApprovalRecorded::by, ApprovalRecorded::channel)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("alice", ApprovalRecorded.Channel.CLI),
                        org.assertj.core.groups.Tuple.tuple("bob", ApprovalRecorded.Channel.DASHBOARD));
        assertThat(gate.told).containsExactly("opened:" + id + ":OPEN", "decided:" + id + ":MERGED");
        ApprovalNotice opened = gate.notices.get(0);
        assertThat(opened.triggeredBy()).isEqualTo("tess");
        assertThat(opened.branch()).isEqualTo("loopline/docs-loop/t-quorum");
        assertThat(opened.dashboardUrl()).isEqualTo("https://dash/ticks/t-quorum");
        assertThat(opened.expiresAt()).isEqualTo(ApprovalHarness.START.plus(Duration.ofHours(72)));
    }

    @Test
    void aRejectionNeedsACommentLeavesMainUntouchedAndClosesTheRequest() throws IOException {
        ApprovalHarness gate = replica("a", Map.of());
        String base = repo.mainOnRemote();
        openRequest(gate, "t-reject");
        String id = ApprovalService.idFor("t-reject", 1);

        Outcome bare = gate.service.decide(id, false, ALICE, Channel.REST, "  ");
        Outcome rejected = gate.service.decide(id, false, ALICE, Channel.REST, "wrong file");
        Outcome late = gate.service.decide(id, true, BOB, Channel.REST, null);

        assertThat(bare.refusal()).isEqualTo(ProblemType.INVALID_REQUEST);
        assertThat(bare.message()).contains("comment");
        assertThat(rejected.accepted()).isTrue();
        assertThat(rejected.notice().state()).isEqualTo(State.REJECTED);
        assertThat(rejected.message()).isEqualTo("rejected by alice via rest: wrong file");
        assertThat(late.refusal()).isEqualTo(ProblemType.APPROVAL_CLOSED);
        assertThat(late.message()).contains("is rejected");
        assertThat(repo.mainOnRemote()).isEqualTo(base);
        assertThat(gate.recorded(ApprovalRecorded.Action.REJECTED))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.comment()).isEqualTo("wrong file");
                    assertThat(r.state()).isEqualTo(ApprovalRecorded.State.REJECTED);
                });
        assertThat(gate.told).containsExactly("opened:" + id + ":OPEN", "decided:" + id + ":REJECTED");
    }

    @Test
    void onlyApproversOfTheTeamOtherThanWhoeverTriggeredTheTickMayApprove() throws IOException {
        ApprovalHarness gate = replica("a", Map.of());
        String base = repo.mainOnRemote();
        openRequest(gate, "t-who");
        String id = ApprovalService.idFor("t-who", 1);

        assertThat(gate.service.decide(id, true, VIC, Channel.REST, null).refusal())
                .isEqualTo(ProblemType.NOT_AN_APPROVER);
        assertThat(gate.service.decide(id, true, OLGA, Channel.REST, null).message())
                .contains("not an approver of team platform");
        assertThat(gate.service.decide(id, true, BOOTSTRAP, Channel.REST, null).refusal())
                .isEqualTo(ProblemType.NOT_AN_APPROVER);
        Outcome self = gate.service.decide(id, true, TESS, Channel.REST, null);
        assertThat(self.refusal()).isEqualTo(ProblemType.SELF_APPROVAL);
        assertThat(self.message()).contains("'tess' triggered tick t-who");
        assertThat(gate.service
                        .decide(id, true, new Caller("oidc:TESS", Role.APPROVER, "platform", false), Channel.REST, null)
                        .refusal())
                .as("the same human through an OIDC login")
                .isEqualTo(ProblemType.SELF_APPROVAL);
        assertThat(gate.service
                        .decide("apr-nope", true, ALICE, Channel.REST, null)
                        .refusal())
                .isEqualTo(ProblemType.APPROVAL_NOT_FOUND);
        assertThat(gate.service.find(id).orElseThrow().votes()).isEmpty();
        assertThat(repo.mainOnRemote()).isEqualTo(base);
    }

    @Test
    void withoutKnowingWhoTriggeredTheTickNoApprovalIsCounted() throws IOException {
        ApprovalHarness gate = replica("a", Map.of());
        gate.decideAndOpen(ApprovalHarness.verdict(repo, "t-unknown", 1, "docs/guide.md", "x\n"));

        Outcome outcome = gate.service.decide(ApprovalService.idFor("t-unknown", 1), true, ALICE, Channel.REST, null);

        assertThat(outcome.refusal()).isEqualTo(ProblemType.SELF_APPROVAL);
        assertThat(outcome.message()).contains("does not know who triggered tick t-unknown");
    }

    @Test
    void aBaseThatMovedSendsTheChangeBackThroughTheGuardAndMergesItOnlyAfterItsAcceptOnTheNewBase() throws IOException {
        ApprovalHarness gate = replica("a", Map.of());
        ChangeDecided decided = openRequest(gate, "t-moved");
        String id = ApprovalService.idFor("t-moved", 1);
        repo.write("src/app.txt", "app, edited by a human\n");
        String human = repo.commitAndPush("human edit");

        Outcome approved = gate.service.decide(id, true, ALICE, Channel.REST, null);

        assertThat(approved.notice().state()).isEqualTo(State.OPEN);
        assertThat(approved.message()).contains("goes back through the guard on the new base");
        assertThat(repo.mainOnRemote()).isEqualTo(human);
        Event proposal = gate.sent.stream()
                .filter(e -> e.eventType() == EventType.CHANGE_PROPOSED)
                .findFirst()
                .orElseThrow();
        ChangeProposed again = proposal.dataAs(ChangeProposed.class);
        assertThat(again.approvalId()).isEqualTo(id);
        assertThat(again.baseSha()).isEqualTo(human);
        assertThat(GateService.sha256(again.diff())).isEqualTo(decided.diffSha256());
        assertThat(proposal.id()).isNotEqualTo(Event.deterministicId("t-moved", 1, EventType.CHANGE_PROPOSED));

        // a verdict on another base than the one asked about is stale and changes nothing
        gate.service.onReverified(reverdict(proposal, again, ChangeVerified.Verdict.ACCEPT, decided.baseSha()));
        assertThat(gate.service.find(id).orElseThrow().state()).isEqualTo(State.OPEN);
        assertThat(repo.mainOnRemote()).isEqualTo(human);

        gate.service.onReverified(reverdict(proposal, again, ChangeVerified.Verdict.ACCEPT, human));

        ApprovalNotice merged = gate.service.find(id).orElseThrow();
        assertThat(merged.state()).isEqualTo(State.MERGED);
        String head = repo.mainOnRemote();
        assertThat(head).isNotEqualTo(decided.commit()).isEqualTo(merged.commit());
        assertThat(repo.parentOf(head)).isEqualTo(human);
        assertThat(repo.fileAt(head, "docs/guide.md")).isEqualTo("# Guide\n\nt-moved");
        assertThat(repo.fileAt(head, "src/app.txt")).isEqualTo("app, edited by a human");
        assertThat(gate.recorded(ApprovalRecorded.Action.REVERIFYING)).hasSize(1);
        assertThat(gate.recorded(ApprovalRecorded.Action.MERGED)).hasSize(1);
    }

    @Test
    void aChangeTheGuardRejectsOnTheMovedBaseIsVoidedAndNeverMerged() throws IOException {
        ApprovalHarness gate = replica("a", Map.of());
        openRequest(gate, "t-moved-bad");
        String id = ApprovalService.idFor("t-moved-bad", 1);
        repo.write("src/app.txt", "app, edited by a human\n");
        String human = repo.commitAndPush("human edit");
        gate.service.decide(id, true, ALICE, Channel.REST, null);
        Event proposal = gate.sent.stream()
                .filter(e -> e.eventType() == EventType.CHANGE_PROPOSED)
                .findFirst()
                .orElseThrow();

        gate.service.onReverified(
                reverdict(proposal, proposal.dataAs(ChangeProposed.class), ChangeVerified.Verdict.REJECT, human));

        ApprovalNotice voided = gate.service.find(id).orElseThrow();
        assertThat(voided.state()).isEqualTo(State.VOIDED);
        assertThat(voided.reason()).contains("re-verification on the moved base " + human, "reject");
        assertThat(repo.mainOnRemote()).isEqualTo(human);
        assertThat(gate.told).contains("decided:" + id + ":VOIDED");
    }

    @Test
    void anApprovedHarnessChangeThatEscalatesAgainOnTheMovedBaseForTheSameReasonIsMerged() throws IOException {
        ApprovalHarness gate = replica("a", Map.of());
        openRequest(gate, "t-moved-pin");
        String id = ApprovalService.idFor("t-moved-pin", 1);
        repo.write("src/app.txt", "app, edited by a human\n");
        String human = repo.commitAndPush("human edit");
        gate.service.decide(id, true, ALICE, Channel.REST, null);
        Event proposal = gate.sent.stream()
                .filter(e -> e.eventType() == EventType.CHANGE_PROPOSED)
                .findFirst()
                .orElseThrow();
        Event escalated =
                reverdict(proposal, proposal.dataAs(ChangeProposed.class), ChangeVerified.Verdict.ESCALATE, human);
        ChangeVerified pinned = escalated.dataAs(ChangeVerified.class);
        ChangeVerified approvable = new ChangeVerified(
                        pinned.verdict(),
                        List.of("harness-changed: docs/guide.md protected by the spec"),
                        List.of(new Finding(
                                "harness-changed",
                                Finding.Severity.HIGH,
                                "protected by the spec",
                                "docs/guide.md",
                                null,
                                null)),
                        null,
                        pinned.baseRef(),
                        pinned.baseSha(),
                        pinned.diff(),
                        pinned.diffSha256(),
                        pinned.tickTokens(),
                        pinned.spec())
                .forApproval(id)
                .asApprovable();

        gate.service.onReverified(Event.keyed(
                "guard-service",
                escalated.time(),
                escalated.loopId(),
                escalated.tickId(),
                escalated.team(),
                escalated.attempt(),
                approvable,
                "approval/" + id + "/" + human));

        assertThat(gate.service.find(id).orElseThrow().state()).isEqualTo(State.MERGED);
        assertThat(repo.parentOf(repo.mainOnRemote())).isEqualTo(human);
    }

    @Test
    void aReverificationWhoseVerdictNeverComesIsVoidedAfterItsTimeoutSayingSoAndALateVerdictMergesNothing()
            throws IOException {
        ApprovalHarness gate = replica("a", Map.of());
        openRequest(gate, "t-silent-guard");
        String id = ApprovalService.idFor("t-silent-guard", 1);
        repo.write("src/app.txt", "app, edited by a human\n");
        String human = repo.commitAndPush("human edit");
        gate.service.decide(id, true, ALICE, Channel.REST, null);
        Event proposal = gate.sent.stream()
                .filter(e -> e.eventType() == EventType.CHANGE_PROPOSED)
                .findFirst()
                .orElseThrow();

        clock.advance(ApprovalHarness.REVERIFY_TIMEOUT.minusSeconds(1));
        gate.service.sweep();
        assertThat(gate.service.find(id).orElseThrow().state()).isEqualTo(State.OPEN);
        clock.advance(Duration.ofSeconds(1));
        gate.service.sweep();

        ApprovalNotice voided = gate.service.find(id).orElseThrow();
        assertThat(voided.state()).isEqualTo(State.VOIDED);
        assertThat(voided.reason())
                .contains("no verdict from the guard within 30 min", "moved base " + human, "nothing merged");
        assertThat(gate.recorded(ApprovalRecorded.Action.VOIDED))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.state()).isEqualTo(ApprovalRecorded.State.VOIDED);
                    assertThat(r.by()).isEqualTo("gate");
                    assertThat(r.reason()).isEqualTo(voided.reason());
                });
        assertThat(gate.told).contains("decided:" + id + ":VOIDED");
        // the verdict that finally comes finds the request closed
        gate.service.onReverified(
                reverdict(proposal, proposal.dataAs(ChangeProposed.class), ChangeVerified.Verdict.ACCEPT, human));
        assertThat(gate.service.find(id).orElseThrow().state()).isEqualTo(State.VOIDED);
        assertThat(repo.mainOnRemote()).isEqualTo(human);
        gate.service.sweep();
        assertThat(gate.recorded(ApprovalRecorded.Action.VOIDED)).hasSize(1);
    }

    @Test
    void aBranchPushedOverVoidsTheRequestInsteadOfMergingAnotherChange() throws IOException {
        ApprovalHarness gate = replica("a", Map.of());
        String base = repo.mainOnRemote();
        ChangeDecided decided = openRequest(gate, "t-pushed-over");
        repo.git.run(repo.remote, "update-ref", "refs/heads/" + decided.branch(), base);

        Outcome outcome =
                gate.service.decide(ApprovalService.idFor("t-pushed-over", 1), true, ALICE, Channel.REST, null);

        assertThat(outcome.notice().state()).isEqualTo(State.VOIDED);
        assertThat(outcome.notice().reason()).contains("not the approved commit " + decided.commit());
        assertThat(repo.mainOnRemote()).isEqualTo(base);
    }

    @Test
    void aNewAttemptOfTheTickVoidsTheRequestOfTheEarlierOne() throws IOException {
        ApprovalHarness gate = replica("a", Map.of());
        openRequest(gate, "t-again");
        repo.git.run(repo.clone, "reset", "-q", "--hard");

        Event second = ApprovalHarness.verdict(repo, "t-again", 2, "docs/guide.md", "# Guide\n\nsecond try\n");
        ChangeVerified verified = second.dataAs(ChangeVerified.class);
        // the gate pushes one branch per tick and never over another commit, so only the request is new here
        gate.service.open(
                second,
                verified,
                new ChangeDecided(
                        ChangeDecided.Decision.AWAITING_APPROVAL,
                        "L2 proposes branch loopline/docs-loop/t-again for review",
                        "loopline/docs-loop/t-again",
                        "f".repeat(40),
                        verified.baseSha(),
                        verified.diffSha256(),
                        verified.tickTokens()));

        assertThat(gate.service
                        .find(ApprovalService.idFor("t-again", 1))
                        .orElseThrow()
                        .state())
                .isEqualTo(State.VOIDED);
        assertThat(gate.service
                        .find(ApprovalService.idFor("t-again", 2))
                        .orElseThrow()
                        .state())
                .isEqualTo(State.OPEN);
    }

    @Test
    void aRedeliveredVerdictFindsTheRequestItOpenedAndOpensNoOther() throws IOException {
        ApprovalHarness gate = replica("a", Map.of());
        Event verdict = ApprovalHarness.verdict(repo, "t-twice", 1, "docs/guide.md", "twice\n");

        ChangeDecided first = gate.decideAndOpen(verdict);
        ChangeDecided second = gate.decideAndOpen(verdict);

        assertThat(second).isEqualTo(first);
        assertThat(gate.recorded(ApprovalRecorded.Action.OPENED)).hasSize(1);
        assertThat(gate.told).hasSize(1);
    }

    @Test
    void anOverdueRequestExpiresEscalatesAndTellsTheListeners() throws IOException {
        ApprovalHarness gate = replica("a", Map.of());
        String base = repo.mainOnRemote();
        openRequest(gate, "t-expire");
        String id = ApprovalService.idFor("t-expire", 1);

        clock.advance(Duration.ofHours(71));
        gate.service.sweep();
        assertThat(gate.service.find(id).orElseThrow().state()).isEqualTo(State.OPEN);
        clock.advance(Duration.ofHours(1));
        gate.service.sweep();

        ApprovalNotice expired = gate.service.find(id).orElseThrow();
        assertThat(expired.state()).isEqualTo(State.EXPIRED);
        assertThat(expired.reason()).contains("expired and escalated");
        assertThat(gate.told).containsExactly("opened:" + id + ":OPEN", "decided:" + id + ":EXPIRED");
        assertThat(gate.recorded(ApprovalRecorded.Action.EXPIRED)).hasSize(1);
        assertThat(gate.service.decide(id, true, ALICE, Channel.REST, null).refusal())
                .isEqualTo(ProblemType.APPROVAL_CLOSED);
        assertThat(repo.mainOnRemote()).isEqualTo(base);
    }

    @Test
    void aFailingListenerAndABrokerOutageNeverUndoADecisionAndTheEventsFollowLater() throws IOException {
        ApprovalListener broken = new ApprovalListener() {
            @Override
            public void opened(ApprovalNotice notice) {
                throw new IllegalStateException("slack is down");
            }

            @Override
            public void decided(ApprovalNotice notice) {
                throw new IllegalStateException("slack is down");
            }
        };
        ApprovalHarness gate = replica("a", Map.of(), broken);
        ChangeDecided decided = openRequest(gate, "t-outage");
        gate.brokerDown.set(new IllegalStateException("broker unreachable"));

        Outcome outcome = gate.service.decide(ApprovalService.idFor("t-outage", 1), true, ALICE, Channel.REST, null);

        assertThat(outcome.notice().state()).isEqualTo(State.MERGED);
        assertThat(repo.mainOnRemote()).isEqualTo(decided.commit());
        assertThat(gate.recorded(ApprovalRecorded.Action.MERGED)).isEmpty();

        gate.brokerDown.set(null);
        clock.advance(Duration.ofMinutes(2));
        gate.service.sweep();

        assertThat(gate.recorded(ApprovalRecorded.Action.MERGED)).hasSize(1);
        assertThat(gate.recorded(ApprovalRecorded.Action.APPROVED)).hasSize(1);
    }

    @Test
    void aQuorumReachedWhileTheLoopIsHaltedMergesOnlyOnceTheHaltLifts() throws IOException {
        ApprovalHarness gate = replica("a", Map.of());
        String base = repo.mainOnRemote();
        ChangeDecided decided = openRequest(gate, "t-halted");
        gate.admission.set(new Admission.Halt("kill switch team:platform set by ops", null));
        String id = ApprovalService.idFor("t-halted", 1);

        Outcome outcome = gate.service.decide(id, true, ALICE, Channel.REST, null);

        assertThat(outcome.notice().state()).isEqualTo(State.OPEN);
        assertThat(outcome.message()).contains("may not merge now", "kill switch");
        assertThat(repo.mainOnRemote()).isEqualTo(base);

        gate.admission.set(new Admission.Run());
        gate.service.sweep();

        assertThat(gate.service.find(id).orElseThrow().state()).isEqualTo(State.MERGED);
        assertThat(repo.mainOnRemote()).isEqualTo(decided.commit());
    }

    private static Event reverdict(
            Event proposal, ChangeProposed again, ChangeVerified.Verdict verdict, String verifiedBase) {
        ChangeVerified data = new ChangeVerified(
                        verdict,
                        verdict == ChangeVerified.Verdict.ACCEPT ? List.of() : List.of("tests failed (exit 1)"),
                        List.of(),
                        null,
                        again.baseRef(),
                        verifiedBase,
                        again.diff(),
                        again.diffSha256(),
                        again.tickTokens(),
                        again.spec())
                .forApproval(again.approvalId());
        return Event.keyed(
                "guard-service",
                proposal.time(),
                proposal.loopId(),
                proposal.tickId(),
                proposal.team(),
                proposal.attempt(),
                data,
                "approval/" + again.approvalId() + "/" + verifiedBase);
    }
}
