package dev.loopline.core.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopline.core.io.Git;
import dev.loopline.core.triage.git.GitCommitLog;
import dev.loopline.core.verify.GroundedVerdict;
import dev.loopline.core.verify.ShaVerifier;
import dev.loopline.core.verify.git.CliGitObjectLookup;
import dev.loopline.schemas.events.TriageReport;
import dev.loopline.schemas.events.TriageReport.Bucket;
import dev.loopline.schemas.events.TriageReport.Decision;
import dev.loopline.schemas.spec.LoopSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The stage against a real repository built with the git CLI, grounded by the real verifier. */
class TriageStageTest {

    @TempDir
    Path tmp;

    Path repo;
    final Git git = new Git();
    final List<String> shas = new ArrayList<>();

    @BeforeEach
    void buildRepository() throws Exception {
        repo = Files.createDirectory(tmp.resolve("repo"));
        git.run(repo, "init", "-q", "-b", "main");
        commit("Initial commit");
        commit("fix: refuse an empty token");
        commit("Add the export endpoint");
        commit("chore(fmt): reformat");
    }

    private String commit(String subject) throws Exception {
        Files.writeString(
                repo.resolve("log.txt"),
                subject + "\n",
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        git.run(repo, "add", "log.txt");
        git.run(repo, "commit", "-q", "-m", subject);
        String sha = git.run(repo, "rev-parse", "HEAD");
        shas.add(sha);
        return sha;
    }

    static LoopSpec spec(LoopSpec.Kind kind, LoopSpec.Level level, List<String> refs, boolean maker) {
        LoopSpec.Builder b = LoopSpec.builder("commit-triage", kind, level, new LoopSpec.Target("/r", "main", refs));
        if (maker) {
            b.maker(new LoopSpec.Maker("mock", null, null, List.of(), 10));
        }
        return b.build();
    }

    private TriageReport triage(LoopSpec spec, Map<String, String> cursors) {
        return new TriageStage(3, 200).triage(spec, cursors, new GitCommitLog(git, repo));
    }

    @Test
    void theFirstRunReadsTheNewestCommitsOfTheRefAndMovesTheCursorToItsHead() {
        TriageReport report = triage(spec(LoopSpec.Kind.TRIAGE, LoopSpec.Level.L1, null, false), Map.of());

        assertThat(report.decision()).isEqualTo(Decision.REPORT);
        assertThat(report.items())
                .extracting(TriageReport.Item::sha, TriageReport.Item::bucket)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(shas.get(3), Bucket.NOISE),
                        org.assertj.core.groups.Tuple.tuple(shas.get(2), Bucket.WATCH),
                        org.assertj.core.groups.Tuple.tuple(shas.get(1), Bucket.HIGH));
        assertThat(List.of(report.high(), report.watch(), report.noise())).containsExactly(1, 1, 1);
        assertThat(report.cursors()).containsExactly(new TriageReport.Cursor("main", null, shas.get(3)));
    }

    @Test
    void commitsSinceTheCursorAreReportedOnceAndNothingNewIsANoOp() throws Exception {
        LoopSpec spec = spec(LoopSpec.Kind.TRIAGE, LoopSpec.Level.L1, null, false);
        String next = commit("hotfix: the login page");

        TriageReport report = triage(spec, Map.of("main", shas.get(3)));
        TriageReport again = triage(spec, Map.of("main", next));

        assertThat(report.items()).singleElement().satisfies(i -> {
            assertThat(i.sha()).isEqualTo(next);
            assertThat(i.bucket()).isEqualTo(Bucket.HIGH);
        });
        assertThat(report.cursors()).containsExactly(new TriageReport.Cursor("main", shas.get(3), next));
        assertThat(again.decision()).isEqualTo(Decision.NO_OP);
        assertThat(again.items()).isEmpty();
        assertThat(again.cursors()).containsExactly(new TriageReport.Cursor("main", next, next));
    }

    @Test
    void aCommitOnTwoRefsIsReportedOnceWithACursorPerRef() throws Exception {
        git.run(repo, "branch", "release", shas.get(2));
        TriageReport report = triage(
                spec(LoopSpec.Kind.TRIAGE, LoopSpec.Level.L1, List.of("main", "release"), false),
                Map.of("main", shas.get(1), "release", shas.get(1)));

        assertThat(report.items()).extracting(TriageReport.Item::sha).containsExactly(shas.get(3), shas.get(2));
        assertThat(report.cursors())
                .containsExactly(
                        new TriageReport.Cursor("main", shas.get(1), shas.get(3)),
                        new TriageReport.Cursor("release", shas.get(1), shas.get(2)));
    }

    @Test
    void moreCommitsThanTheLimitKeepTheOldestAndStopTheCursorThere() {
        TriageReport report = new TriageStage(3, 2)
                .triage(
                        spec(LoopSpec.Kind.TRIAGE, LoopSpec.Level.L1, null, false),
                        Map.of("main", shas.get(0)),
                        new GitCommitLog(git, repo));

        assertThat(report.truncated()).isTrue();
        assertThat(report.items()).extracting(TriageReport.Item::sha).containsExactly(shas.get(2), shas.get(1));
        assertThat(report.cursors()).containsExactly(new TriageReport.Cursor("main", shas.get(0), shas.get(2)));
    }

    @Test
    void aCursorOutsideTheHistoryFailsTheRunInsteadOfGuessing() {
        LoopSpec spec = spec(LoopSpec.Kind.TRIAGE, LoopSpec.Level.L1, null, false);

        assertThatThrownBy(() -> triage(spec, Map.of("main", "0123456789abcdef0123456789abcdef01234567")))
                .isInstanceOf(TriageException.class)
                .hasMessageContaining("is not in the history of main")
                .hasMessageContaining("the cursor is kept");
        assertThatThrownBy(
                        () -> triage(spec(LoopSpec.Kind.TRIAGE, LoopSpec.Level.L1, List.of("gone"), false), Map.of()))
                .isInstanceOf(TriageException.class)
                .hasMessageContaining("cannot resolve ref gone");
    }

    static Stream<Arguments> decisions() {
        return Stream.of(
                Arguments.of(LoopSpec.Kind.TRIAGE, LoopSpec.Level.L1, false, true, Decision.REPORT),
                Arguments.of(LoopSpec.Kind.TRIAGE, LoopSpec.Level.L1, false, false, Decision.NO_OP),
                Arguments.of(LoopSpec.Kind.TRIAGE, LoopSpec.Level.L3, true, true, Decision.REPORT),
                Arguments.of(LoopSpec.Kind.TRIAGE, LoopSpec.Level.L3, true, false, Decision.NO_OP),
                Arguments.of(LoopSpec.Kind.REPORT, LoopSpec.Level.L2, false, true, Decision.REPORT),
                Arguments.of(LoopSpec.Kind.REPORT, LoopSpec.Level.L2, false, false, Decision.NO_OP),
                Arguments.of(LoopSpec.Kind.REPORT, LoopSpec.Level.L1, true, true, Decision.ACT),
                Arguments.of(LoopSpec.Kind.REPORT, LoopSpec.Level.L1, true, false, Decision.ACT),
                Arguments.of(LoopSpec.Kind.REPORT, LoopSpec.Level.L3, true, true, Decision.ACT));
    }

    @ParameterizedTest(name = "[{index}] {0} {1} maker={2} new commits={3} -> {4}")
    @MethodSource("decisions")
    void onlyAReportLoopWithAMakerActsAndNothingNewIsANoOpOtherwise(
            LoopSpec.Kind kind, LoopSpec.Level level, boolean maker, boolean newCommits, Decision expected) {
        Map<String, String> cursors = newCommits ? Map.of() : Map.of("main", shas.get(3));
        assertThat(triage(spec(kind, level, null, maker), cursors).decision()).isEqualTo(expected);
    }

    /** A report as a maker (or a bug) could write it: each row names which SHA is replaced by what. */
    static Stream<Arguments> groundingCases() {
        return Stream.of(
                Arguments.of("every SHA real", null, true, null),
                Arguments.of(
                        "a fabricated item SHA",
                        "0123456789abcdef0123456789abcdef01234567",
                        false,
                        GroundedVerdict.FABRICATED),
                Arguments.of("a tree id in place of a commit", "TREE", false, GroundedVerdict.FABRICATED),
                Arguments.of("a 7-digit prefix of a real commit", "PREFIX", false, GroundedVerdict.GROUNDED),
                Arguments.of("not hex at all", "HEAD~1-not-a-sha", false, GroundedVerdict.FABRICATED));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("groundingCases")
    void aReportCountsOnlyWhenEveryShaItCitesIsGrounded(
            String name, String replacement, boolean accepted, GroundedVerdict refusedAs) {
        TriageReport honest = triage(spec(LoopSpec.Kind.TRIAGE, LoopSpec.Level.L1, null, false), Map.of());
        String bad = replacement == null
                ? null
                : switch (replacement) {
                    case "TREE" -> git.run(repo, "rev-parse", "HEAD^{tree}");
                    case "PREFIX" -> shas.get(2).substring(0, 7);
                    default -> replacement;
                };
        List<TriageReport.Item> items = new ArrayList<>(honest.items());
        if (bad != null) {
            TriageReport.Item first = items.get(0);
            items.set(0, new TriageReport.Item(first.bucket(), bad, first.subject()));
        }
        TriageReport report = new TriageReport(
                honest.decision(), honest.cursors(), items, honest.high(), honest.watch(), honest.noise(), null);

        try (CliGitObjectLookup lookup = new CliGitObjectLookup(repo)) {
            TriageStage.Grounding grounding = TriageStage.ground(report, new ShaVerifier(lookup));

            assertThat(grounding.accepted()).isEqualTo(accepted);
            if (!accepted) {
                assertThat(grounding.refused()).singleElement().satisfies(r -> {
                    assertThat(r.claim()).isEqualTo(bad);
                    assertThat(r.verdict()).isEqualTo(refusedAs);
                });
                assertThat(grounding.reason()).startsWith(bad + " is ");
            }
        }
    }

    @Test
    void aRepositoryGitCannotReadLeavesEveryClaimUnverifiableAndTheReportRefused() throws Exception {
        TriageReport report = triage(spec(LoopSpec.Kind.TRIAGE, LoopSpec.Level.L1, null, false), Map.of());
        try (CliGitObjectLookup lookup = new CliGitObjectLookup(tmp.resolve("missing"))) {
            TriageStage.Grounding grounding = TriageStage.ground(report, new ShaVerifier(lookup));

            assertThat(grounding.accepted()).isFalse();
            assertThat(grounding.refused()).extracting(r -> r.verdict()).containsOnly(GroundedVerdict.UNVERIFIABLE);
        }
    }

    @Test
    void theSummaryCountsTheBucketsAndListsTheHighOnes() {
        TriageReport report = triage(spec(LoopSpec.Kind.TRIAGE, LoopSpec.Level.L1, null, false), Map.of());

        assertThat(TriageStage.summary(report))
                .startsWith("triage: 3 commits: 1 high, 1 watch, 1 noise; main first run.."
                        + shas.get(3).substring(0, 12))
                .contains("\n- high " + shas.get(1).substring(0, 12) + " fix: refuse an empty token");
        Map<String, String> cursors = new HashMap<>(Map.of("main", shas.get(3)));
        assertThat(TriageStage.summary(triage(spec(LoopSpec.Kind.TRIAGE, LoopSpec.Level.L1, null, false), cursors)))
                .isEqualTo("triage: no new commits since the cursor on main@"
                        + shas.get(3).substring(0, 12));
    }
}
