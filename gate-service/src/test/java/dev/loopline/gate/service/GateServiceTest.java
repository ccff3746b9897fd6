package dev.loopline.gate.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.core.io.Git;
import dev.loopline.gate.repository.TargetRepository;
import dev.loopline.schemas.events.ChangeDecided;
import dev.loopline.schemas.events.ChangeDecided.Decision;
import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.ChangeVerified.Verdict;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.Finding;
import dev.loopline.schemas.spec.LoopSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate against real git repositories: a bare remote with main, and the gate's own work dir. */
class GateServiceTest {

    private static final String LOOP = "docs-loop";
    private static final String TICK = "20261121T060000Z-3fa85f64";
    private static final Instant VERIFIED_AT = Instant.parse("2026-11-21T06:01:02Z");
    private static final LoopSpec.Allowlist DOCS_ONLY =
            new LoopSpec.Allowlist(List.of("docs/**"), List.of("docs/private/**"), null, null);

    @TempDir
    Path tmp;

    private GitFixture repo;
    private String baseSha;
    private GateService gate;

    @BeforeEach
    void setUp() {
        repo = new GitFixture(tmp);
        baseSha = repo.mainOnRemote();
        gate = gateWithWorkDir(tmp.resolve("gate-work"));
    }

    private GateService gateWithWorkDir(Path workDir) {
        return new GateService(new TargetRepository(new Git(), workDir), "Loopline Gate", "gate@test");
    }

    private String docsEdit() throws IOException {
        repo.write("docs/guide.md", "# Guide\n\nStep one.\nStep two.\n");
        return repo.stagedDiff();
    }

    private Event verdict(Verdict verdict, LoopSpec.Level level, LoopSpec.Allowlist allowlist, String diff) {
        return verdict(verdict, level, allowlist, diff, GateService.sha256(diff));
    }

    private Event verdict(
            Verdict verdict, LoopSpec.Level level, LoopSpec.Allowlist allowlist, String diff, String diffSha) {
        LoopSpec spec = LoopSpec.builder(
                        LOOP, LoopSpec.Kind.ASSISTED_FIX, level, new LoopSpec.Target(repo.remote.toString(), "main"))
                .team("platform")
                .cadence("5m")
                .allowlist(allowlist)
                .build();
        ChangeVerified data = new ChangeVerified(
                verdict, List.of("tests passed"), List.of(), null, "main", baseSha, diff, diffSha, 1200, spec);
        return Event.of("guard-service", VERIFIED_AT, LOOP, TICK, "platform", 1, data);
    }

    private ChangeDecided decide(Event event) {
        Optional<ChangeDecided> decided = gate.decide(event);
        assertThat(decided).isPresent();
        return decided.get();
    }

    @Test
    void l1ReportsAndPushesNothing() throws IOException {
        String refsBefore = repo.refsOnRemote();

        ChangeDecided decided = decide(verdict(Verdict.ACCEPT, LoopSpec.Level.L1, DOCS_ONLY, docsEdit()));

        assertThat(decided.decision()).isEqualTo(Decision.REPORTED);
        assertThat(decided.reason()).isEqualTo("L1 is report-only; nothing pushed");
        assertThat(decided.commit()).isNull();
        assertThat(decided.branch()).isNull();
        assertThat(decided.baseSha()).isEqualTo(baseSha);
        assertThat(decided.tickTokens()).isEqualTo(1200);
        assertThat(repo.refsOnRemote()).isEqualTo(refsBefore);
    }

    @Test
    void l2PushesTheBranchWithTheExactChangeAndLeavesMainAlone() throws IOException {
        ChangeDecided decided = decide(verdict(Verdict.ACCEPT, LoopSpec.Level.L2, null, docsEdit()));

        String branch = "loopline/" + LOOP + "/" + TICK;
        assertThat(decided.decision()).isEqualTo(Decision.AWAITING_APPROVAL);
        assertThat(decided.branch()).isEqualTo(branch);
        assertThat(repo.git.revParse(repo.remote, "refs/heads/" + branch)).isEqualTo(decided.commit());
        assertThat(repo.fileAt(decided.commit(), "docs/guide.md")).isEqualTo("# Guide\n\nStep one.\nStep two.");
        assertThat(repo.parentOf(decided.commit())).isEqualTo(baseSha);
        assertThat(repo.git.run(repo.remote, "log", "-1", "--format=%s|%an|%ae|%cI", decided.commit()))
                .isEqualTo("loopline(docs-loop): tick " + TICK + "|Loopline Gate|gate@test|2026-11-21T06:01:02+00:00");
        assertThat(repo.mainOnRemote()).isEqualTo(baseSha);
    }

    @Test
    void l3InsideTheAllowlistFastForwardsMainToACommitOnTheBase() throws IOException {
        ChangeDecided decided = decide(verdict(Verdict.ACCEPT, LoopSpec.Level.L3, DOCS_ONLY, docsEdit()));

        assertThat(decided.decision()).isEqualTo(Decision.MERGED);
        assertThat(repo.mainOnRemote()).isEqualTo(decided.commit());
        assertThat(repo.parentOf(decided.commit())).isEqualTo(baseSha);
        assertThat(repo.fileAt("main", "docs/guide.md")).endsWith("Step two.");
        assertThat(repo.refsOnRemote()).doesNotContain("loopline/");
    }

    @Test
    void l3WithAPathOutsideTheAllowlistPushesOnlyABranch() throws IOException {
        repo.write("docs/guide.md", "# Guide\n\nchanged\n");
        repo.write("src/app.txt", "app v2\n");
        String diff = repo.stagedDiff();

        ChangeDecided decided = decide(verdict(Verdict.ACCEPT, LoopSpec.Level.L3, DOCS_ONLY, diff));

        assertThat(decided.decision()).isEqualTo(Decision.AWAITING_APPROVAL);
        assertThat(decided.reason())
                .contains("outside the allowlist", "src/app.txt")
                .doesNotContain("docs/guide.md");
        assertThat(repo.mainOnRemote()).isEqualTo(baseSha);
        assertThat(repo.git.revParse(repo.remote, "refs/heads/" + decided.branch()))
                .isEqualTo(decided.commit());
    }

    @Test
    void l3WhenTheBaseMovedAfterTheVerdictPushesABranchAndKeepsTheOtherCommit() throws IOException {
        Event event = verdict(Verdict.ACCEPT, LoopSpec.Level.L3, DOCS_ONLY, docsEdit());
        repo.write("README.md", "# sample, edited by a human\n");
        String human = repo.commitAndPush("human edit");

        ChangeDecided decided = decide(event);

        assertThat(decided.decision()).isEqualTo(Decision.PROPOSED);
        assertThat(decided.reason()).contains("base moved", human, baseSha);
        assertThat(repo.mainOnRemote()).isEqualTo(human);
        assertThat(repo.parentOf(decided.commit())).isEqualTo(baseSha);
        assertThat(repo.git.revParse(repo.remote, "refs/heads/" + decided.branch()))
                .isEqualTo(decided.commit());
    }

    @Test
    void l3RenameFromAnAllowedToADeniedPathIsNotMerged() throws IOException {
        Files.createDirectories(repo.clone.resolve("docs/private"));
        repo.git.run(repo.clone, "mv", "docs/guide.md", "docs/private/guide.md");
        String diff = repo.stagedDiff();
        assertThat(diff).contains("rename from docs/guide.md", "rename to docs/private/guide.md");

        ChangeDecided decided = decide(verdict(Verdict.ACCEPT, LoopSpec.Level.L3, DOCS_ONLY, diff));

        assertThat(decided.decision()).isEqualTo(Decision.AWAITING_APPROVAL);
        assertThat(decided.reason())
                .contains("denied: docs/private/guide.md matches deny glob 'docs/private/**'")
                .doesNotContain("docs/guide.md matches");
        assertThat(repo.mainOnRemote()).isEqualTo(baseSha);
    }

    @Test
    void l3DeletingAFileOutsideTheAllowlistIsNotMerged() throws IOException {
        Files.delete(repo.clone.resolve("src/app.txt"));
        String diff = repo.stagedDiff();

        ChangeDecided decided = decide(verdict(Verdict.ACCEPT, LoopSpec.Level.L3, DOCS_ONLY, diff));

        assertThat(decided.decision()).isEqualTo(Decision.AWAITING_APPROVAL);
        assertThat(decided.reason()).contains("not allowlisted: src/app.txt");
        assertThat(repo.mainOnRemote()).isEqualTo(baseSha);
    }

    @Test
    void l3OverMaxFilesIsNotMerged() throws IOException {
        repo.write("docs/a.md", "a\n");
        repo.write("docs/b.md", "b\n");
        String diff = repo.stagedDiff();
        LoopSpec.Allowlist oneFile = new LoopSpec.Allowlist(List.of("docs/**"), null, 1, null);

        ChangeDecided decided = decide(verdict(Verdict.ACCEPT, LoopSpec.Level.L3, oneFile, diff));

        assertThat(decided.decision()).isEqualTo(Decision.AWAITING_APPROVAL);
        assertThat(decided.reason()).contains("too many files: 2 > maxFiles 1");
        assertThat(repo.mainOnRemote()).isEqualTo(baseSha);
    }

    @Test
    void l3OverMaxLinesIsNotMerged() throws IOException {
        repo.write("docs/guide.md", "# Guide\n\nStep one.\nStep two.\nStep three.\n");
        String diff = repo.stagedDiff();
        LoopSpec.Allowlist twoLines = new LoopSpec.Allowlist(List.of("docs/**"), null, null, 1);

        ChangeDecided decided = decide(verdict(Verdict.ACCEPT, LoopSpec.Level.L3, twoLines, diff));

        assertThat(decided.decision()).isEqualTo(Decision.AWAITING_APPROVAL);
        assertThat(decided.reason()).contains("too many lines: 2 > maxLines 1");
        assertThat(repo.mainOnRemote()).isEqualTo(baseSha);
    }

    @Test
    void l2ChangeToAWorkflowPushesABranchAndWaitsForAHumanNeverMerging() throws IOException {
        repo.write(".github/workflows/ci.yml", "on: push\n");
        String diff = repo.stagedDiff();

        ChangeDecided decided = decide(verdict(Verdict.ACCEPT, LoopSpec.Level.L2, null, diff));

        assertThat(decided.decision()).isEqualTo(Decision.AWAITING_APPROVAL);
        assertThat(decided.reason())
                .startsWith("harness-changed: .github/workflows/ci.yml added: a CI definition")
                .contains("waits for a human's approval");
        assertThat(repo.mainOnRemote()).isEqualTo(baseSha);
        assertThat(repo.refsOnRemote()).contains("refs/heads/" + decided.branch());
    }

    @Test
    void l3ChangeToAWorkflowIsEscalatedEvenWhenEverythingIsAllowed() throws IOException {
        // CI definitions are part of the pinned test harness (issue 10): once proposed as a branch, now escalated
        repo.write(".github/workflows/ci.yml", "on: push\n");
        String diff = repo.stagedDiff();
        LoopSpec.Allowlist everything = new LoopSpec.Allowlist(List.of("**"), null, null, null);

        ChangeDecided decided = decide(verdict(Verdict.ACCEPT, LoopSpec.Level.L3, everything, diff));

        assertThat(decided.decision()).isEqualTo(Decision.ESCALATED);
        assertThat(decided.reason()).startsWith("harness-changed: .github/workflows/ci.yml added: a CI definition");
        assertThat(repo.mainOnRemote()).isEqualTo(baseSha);
        assertThat(repo.refsOnRemote()).doesNotContain("loopline/");
    }

    @Test
    void l3ChangeToABuildFileOrALoopSpecIsEscalatedEvenWhenTheAllowlistNamesIt() throws IOException {
        LoopSpec.Allowlist everything = new LoopSpec.Allowlist(List.of("**"), null, null, null);
        repo.write("Makefile", "test:\n\ttrue\n");
        String makefile = repo.stagedDiff();

        ChangeDecided decided = decide(verdict(Verdict.ACCEPT, LoopSpec.Level.L3, everything, makefile));

        assertThat(decided.decision()).isEqualTo(Decision.ESCALATED);
        assertThat(decided.reason())
                .startsWith("harness-changed: Makefile added: build configuration that runs the tests")
                .contains("never merged unattended");
        assertThat(decided.branch()).isNull();
        assertThat(repo.mainOnRemote()).isEqualTo(baseSha);
        assertThat(repo.refsOnRemote()).doesNotContain("loopline/");
    }

    @Test
    void anAcceptedVerdictCarryingAHarnessFindingIsNeverMerged() throws IOException {
        Event event = verdict(Verdict.ACCEPT, LoopSpec.Level.L3, DOCS_ONLY, docsEdit());
        ChangeVerified accepted = event.dataAs(ChangeVerified.class);
        ChangeVerified withFinding = new ChangeVerified(
                Verdict.ACCEPT,
                accepted.reasons(),
                List.of(new Finding(
                        "harness-changed", Finding.Severity.HIGH, "the test script: edited", "test.sh", null, null)),
                null,
                accepted.baseRef(),
                accepted.baseSha(),
                accepted.diff(),
                accepted.diffSha256(),
                accepted.tickTokens(),
                accepted.spec());

        ChangeDecided decided = decide(Event.of("guard-service", VERIFIED_AT, LOOP, TICK, "platform", 1, withFinding));

        assertThat(decided.decision()).isEqualTo(Decision.ESCALATED);
        assertThat(decided.reason()).startsWith("harness-changed: test.sh the test script: edited");
        assertThat(repo.mainOnRemote()).isEqualTo(baseSha);
    }

    @Test
    void l3MigrationIsNotMergedEvenWhenEverythingIsAllowed() throws IOException {
        repo.write("migrations/V2__x.sql", "alter table t add column c int;\n");
        String diff = repo.stagedDiff();
        LoopSpec.Allowlist everything = new LoopSpec.Allowlist(List.of("**"), null, null, null);

        ChangeDecided decided = decide(verdict(Verdict.ACCEPT, LoopSpec.Level.L3, everything, diff));

        assertThat(decided.decision()).isEqualTo(Decision.AWAITING_APPROVAL);
        assertThat(decided.reason()).contains("denied: migrations/V2__x.sql matches default deny group 'migrations'");
        assertThat(repo.mainOnRemote()).isEqualTo(baseSha);
    }

    @Test
    void l3DiffThatCannotBeParsedIsEscalatedWithoutTouchingGit() throws IOException {
        String refsBefore = repo.refsOnRemote();
        // the hunk header announces more lines than the hunk has
        String diff = "diff --git a/docs/guide.md b/docs/guide.md\n--- a/docs/guide.md\n+++ b/docs/guide.md\n"
                + "@@ -1,9 +1,9 @@\n-# Guide\n+# Guide!\n";

        ChangeDecided decided = decide(verdict(Verdict.ACCEPT, LoopSpec.Level.L3, DOCS_ONLY, diff));

        assertThat(decided.decision()).isEqualTo(Decision.ESCALATED);
        assertThat(decided.reason()).startsWith("the diff cannot be parsed: ");
        assertThat(decided.commit()).isNull();
        assertThat(repo.refsOnRemote()).isEqualTo(refsBefore);
        assertThat(tmp.resolve("gate-work")).doesNotExist();
    }

    @Test
    void l3WithoutAnAllowlistFallsBackToPropose() throws IOException {
        ChangeDecided decided = decide(verdict(Verdict.ACCEPT, LoopSpec.Level.L3, null, docsEdit()));

        assertThat(decided.decision()).isEqualTo(Decision.AWAITING_APPROVAL);
        assertThat(decided.reason()).isEqualTo("L3 without an allowlist falls back to propose");
        assertThat(repo.mainOnRemote()).isEqualTo(baseSha);
    }

    @Test
    void theSameVerdictHandledTwiceYieldsTheSameCommitAndOneCommitOnMain() throws IOException {
        Event event = verdict(Verdict.ACCEPT, LoopSpec.Level.L3, DOCS_ONLY, docsEdit());
        int before = repo.commitCount("main");

        ChangeDecided first = decide(event);
        // a restarted gate with an empty work dir handles the redelivered verdict
        gate = gateWithWorkDir(tmp.resolve("gate-work-after-restart"));
        ChangeDecided second = decide(event);

        assertThat(first.decision()).isEqualTo(Decision.MERGED);
        assertThat(second).isEqualTo(first);
        assertThat(repo.mainOnRemote()).isEqualTo(first.commit());
        assertThat(repo.commitCount("main")).isEqualTo(before + 1);
    }

    @Test
    void theSameL2VerdictHandledTwiceRepushesTheSameBranchCommit() throws IOException {
        Event event = verdict(Verdict.ACCEPT, LoopSpec.Level.L2, null, docsEdit());

        ChangeDecided first = decide(event);
        ChangeDecided second = decide(event);

        assertThat(second).isEqualTo(first);
        assertThat(repo.git.revParse(repo.remote, "refs/heads/" + first.branch()))
                .isEqualTo(first.commit());
    }

    /** The same verdict as {@code event}, published again later: a guard restarted after publishing re-verified. */
    private static Event republished(Event event) {
        return Event.of(
                event.source(),
                event.time().plusSeconds(42),
                event.loopId(),
                event.tickId(),
                event.team(),
                event.attempt(),
                event.data());
    }

    @Test
    void aSecondVerdictEventForAMergedChangeFindsItMergedEvenAfterOthersBuiltOnIt() throws IOException {
        Event event = verdict(Verdict.ACCEPT, LoopSpec.Level.L3, DOCS_ONLY, docsEdit());
        ChangeDecided first = decide(event);
        repo.git.run(repo.clone, "pull", "-q", "origin", "main");
        repo.write("docs/later.md", "built on the merged change\n");
        String later = repo.commitAndPush("a later change on top");
        int before = repo.commitCount("main");

        ChangeDecided second = decide(republished(event));

        assertThat(first.decision()).isEqualTo(Decision.MERGED);
        assertThat(second.decision()).isEqualTo(Decision.MERGED);
        assertThat(second.commit()).isEqualTo(first.commit());
        assertThat(repo.mainOnRemote()).isEqualTo(later);
        assertThat(repo.commitCount("main")).isEqualTo(before);
        assertThat(repo.refsOnRemote())
                .as("no branch pushed for a change already merged")
                .doesNotContain(GateService.branchFor(LOOP, TICK));
    }

    @Test
    void aSecondVerdictEventForAProposedChangeKeepsTheBranchItPushed() throws IOException {
        Event event = verdict(Verdict.ACCEPT, LoopSpec.Level.L2, null, docsEdit());
        ChangeDecided first = decide(event);

        ChangeDecided second = decide(republished(event));

        assertThat(second.decision()).isEqualTo(first.decision());
        assertThat(second.commit()).isEqualTo(first.commit());
        assertThat(repo.git.revParse(repo.remote, "refs/heads/" + first.branch()))
                .isEqualTo(first.commit());
    }

    @Test
    void aDifferentChangeOnTheTicksBranchIsStillEscalated() throws IOException {
        decide(verdict(Verdict.ACCEPT, LoopSpec.Level.L2, null, docsEdit()));
        repo.write("docs/guide.md", "# Guide\n\nSomething else entirely.\n");
        String other = repo.stagedDiff();

        ChangeDecided second = decide(verdict(Verdict.ACCEPT, LoopSpec.Level.L2, null, other));

        assertThat(second.decision()).isEqualTo(Decision.ESCALATED);
        assertThat(second.reason()).contains("already exists on the target with a different commit");
    }

    @Test
    void escalateDecidesWithTheCheckersReasonsAndTouchesNoGit() throws IOException {
        String refsBefore = repo.refsOnRemote();
        Path workDir = tmp.resolve("gate-work");

        ChangeDecided decided = decide(verdict(Verdict.ESCALATE, LoopSpec.Level.L3, DOCS_ONLY, docsEdit()));

        assertThat(decided.decision()).isEqualTo(Decision.ESCALATED);
        assertThat(decided.reason()).isEqualTo("tests passed");
        assertThat(decided.commit()).isNull();
        assertThat(repo.refsOnRemote()).isEqualTo(refsBefore);
        assertThat(workDir).doesNotExist();
    }

    /** An escalated verdict whose only escalation is a deleted test, as the guard marks it for a human. */
    private Event escalatedForAHuman(LoopSpec.Level level, Finding finding) throws IOException {
        ChangeVerified v = verdict(Verdict.ESCALATE, level, null, docsEdit()).dataAs(ChangeVerified.class);
        ChangeVerified escalated = new ChangeVerified(
                        Verdict.ESCALATE,
                        List.of(finding.ruleId() + ": " + finding.message()),
                        List.of(finding),
                        null,
                        v.baseRef(),
                        v.baseSha(),
                        v.diff(),
                        v.diffSha256(),
                        v.tickTokens(),
                        v.spec())
                .asApprovable();
        return Event.of("guard-service", VERIFIED_AT, LOOP, TICK, "platform", 1, escalated);
    }

    private static final Finding DELETED_TEST = new Finding(
            "test-file-deleted", Finding.Severity.HIGH, "a test file was deleted", "test/price_test.sh", null, null);

    @Test
    void anEscalationAHumanMayApproveWaitsForOneAtL2() throws IOException {
        ChangeDecided decided = decide(escalatedForAHuman(LoopSpec.Level.L2, DELETED_TEST));

        assertThat(decided.decision()).isEqualTo(Decision.AWAITING_APPROVAL);
        assertThat(decided.reason())
                .startsWith("the checker escalated (test-file-deleted: a test file was deleted)")
                .contains("for a human's approval");
        assertThat(repo.mainOnRemote()).isEqualTo(baseSha);
        assertThat(repo.refsOnRemote()).contains("refs/heads/" + decided.branch());
    }

    @Test
    void anEscalationAHumanMayApproveIsStillEscalatedAtL3() throws IOException {
        ChangeDecided decided = decide(escalatedForAHuman(LoopSpec.Level.L3, DELETED_TEST));

        assertThat(decided.decision()).isEqualTo(Decision.ESCALATED);
        assertThat(decided.branch()).isNull();
        assertThat(repo.refsOnRemote()).doesNotContain("loopline/");
    }

    @Test
    void aVerdictMarkedApprovableButCarryingAnotherHighFindingIsEscalated() throws IOException {
        // the gate checks the guard's mark again: an injection is never turned into an approval request
        Finding injection = new Finding(
                "injection-instruction-override",
                Finding.Severity.HIGH,
                "ignore previous instructions",
                "README.md",
                1,
                null);

        ChangeDecided decided = decide(escalatedForAHuman(LoopSpec.Level.L2, injection));

        assertThat(decided.decision()).isEqualTo(Decision.ESCALATED);
        assertThat(repo.refsOnRemote()).doesNotContain("loopline/");
    }

    @Test
    void rejectIsIgnored() throws IOException {
        assertThat(gate.decide(verdict(Verdict.REJECT, LoopSpec.Level.L3, DOCS_ONLY, docsEdit())))
                .isEmpty();
    }

    @Test
    void anErrorVerdictIsIgnoredAndPushesNothingWhateverTheLevel() throws IOException {
        String refsBefore = repo.refsOnRemote();

        assertThat(gate.decide(verdict(Verdict.ERROR, LoopSpec.Level.L3, DOCS_ONLY, docsEdit())))
                .isEmpty();
        assertThat(repo.refsOnRemote()).isEqualTo(refsBefore);
    }

    @Test
    void aDiffThatDoesNotMatchItsHashIsEscalatedWithoutPushing() throws IOException {
        String refsBefore = repo.refsOnRemote();
        String diff = docsEdit();
        Event event = verdict(Verdict.ACCEPT, LoopSpec.Level.L3, DOCS_ONLY, diff, GateService.sha256(diff + " "));

        ChangeDecided decided = decide(event);

        assertThat(decided.decision()).isEqualTo(Decision.ESCALATED);
        assertThat(decided.reason()).startsWith("diff does not match diffSha256");
        assertThat(repo.refsOnRemote()).isEqualTo(refsBefore);
    }

    @Test
    void aDiffThatDoesNotApplyIsEscalated() {
        String diff = "diff --git a/docs/guide.md b/docs/guide.md\n--- a/docs/guide.md\n+++ b/docs/guide.md\n"
                + "@@ -1,1 +1,1 @@\n-no such line\n+other\n";

        ChangeDecided decided = decide(verdict(Verdict.ACCEPT, LoopSpec.Level.L2, null, diff));

        assertThat(decided.decision()).isEqualTo(Decision.ESCALATED);
        assertThat(decided.reason()).startsWith("the diff does not apply to " + baseSha);
        assertThat(repo.mainOnRemote()).isEqualTo(baseSha);
    }
}
