package dev.loopline.core.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.core.guard.command.SpecCommandGuard;
import dev.loopline.core.io.Git;
import dev.loopline.core.io.GitMirror;
import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.ChangeVerified.Verdict;
import dev.loopline.schemas.events.Finding;
import dev.loopline.schemas.events.Usage;
import dev.loopline.schemas.spec.LoopSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness pin on real repositories: a maker that rewrites what decides whether the tests pass is escalated,
 * and the tests that run are always the base's.
 */
class VerifierHarnessTest {

    private static final String TEST_SH =
            """
            #!/bin/sh
            set -e
            test -f README.md
            grep -q hello src/greeting.txt
            echo "2 checks passed"
            """;

    @TempDir
    Path temp;

    private TestRepo repo;
    private Verifier verifier;

    @BeforeEach
    void setUp() throws IOException {
        repo = TestRepo.create(Files.createDirectories(temp.resolve("source")))
                .write("README.md", "# sample\n")
                .write("src/greeting.txt", "hello\n")
                .write("test.sh", TEST_SH)
                .write("package.json", "{\"name\":\"sample\",\"version\":\"1.0.0\",\"scripts\":{\"lint\":\"true\"}}\n");
        repo.commit("initial");
        GitMirror mirrors = new GitMirror(new Git(), temp.resolve("work"));
        verifier = new Verifier(
                mirrors,
                new Git(),
                Duration.ofMinutes(1),
                List.of(),
                SpecCommandGuard::check,
                temp.resolve("work/scratch"));
    }

    @Test
    void aMakerThatBreaksTheCodeAndRewritesTheTestScriptIsEscalatedAndTheBaseScriptFailsIt() {
        repo.write("src/greeting.txt", "bye\n").write("test.sh", "echo 2 checks passed\n");

        ChangeVerified verified = verify(repo.diffAndReset(), LoopSpec.Level.L3, List.of());

        assertThat(verified.verdict()).isEqualTo(Verdict.ESCALATE);
        assertThat(verified.findings())
                .extracting(Finding::ruleId, Finding::file, Finding::severity)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("harness-changed", "test.sh", Finding.Severity.HIGH));
        assertThat(verified.test().exitCode())
                .as("the base's test.sh ran, and it fails on 'bye'")
                .isNotZero();
        assertThat(verified.reasons())
                .contains("tests ran with the base's harness (test.sh as the base has them)")
                .anySatisfy(r -> assertThat(r).startsWith("tests failed (exit 1) (sandbox: "))
                .anySatisfy(r -> assertThat(r)
                        .startsWith("harness-changed: test.sh edited: the script the test command (sh test.sh) runs")
                        .contains("at L2 a human may approve it"));
    }

    @Test
    void anEscalationOnlyForThePinnedHarnessIsOneAHumanMayApproveAndAnyOtherEscalationIsNot() {
        repo.write("test.sh", TEST_SH + "echo snapshot refreshed\n");
        String diff = repo.diffAndReset();

        ChangeVerified pinnedOnly = verify(diff, LoopSpec.Level.L2, List.of());
        verifier = new Verifier(
                new GitMirror(new Git(), temp.resolve("work2")),
                new Git(),
                Duration.ofMinutes(1),
                List.of(new ChangeScanner() {
                    @Override
                    public String name() {
                        return "injection";
                    }

                    @Override
                    public List<Finding> scan(ChangeProposed proposal, Path checkout) {
                        return List.of(new Finding(
                                "injection-instruction-override",
                                Finding.Severity.HIGH,
                                "ignore previous instructions",
                                "test.sh",
                                1,
                                null));
                    }
                }),
                SpecCommandGuard::check,
                temp.resolve("work2/scratch"));
        ChangeVerified withInjection = verify(diff, LoopSpec.Level.L2, List.of());

        assertThat(pinnedOnly.verdict()).isEqualTo(Verdict.ESCALATE);
        assertThat(pinnedOnly.humanMayApprove())
                .as("only the harness escalated it: at L2 a human may approve it")
                .isTrue();
        assertThat(withInjection.verdict()).isEqualTo(Verdict.ESCALATE);
        assertThat(withInjection.humanMayApprove())
                .as("an injection finding escalates for good")
                .isFalse();
    }

    @Test
    void deletingOneCheckFromTheTestScriptIsEscalatedEvenWhenTheTestsPass() {
        repo.write("test.sh", TEST_SH.replace("grep -q hello src/greeting.txt\n", ""));

        ChangeVerified verified = verify(repo.diffAndReset(), LoopSpec.Level.L2, List.of());

        assertThat(verified.verdict()).isEqualTo(Verdict.ESCALATE);
        assertThat(verified.test().exitCode()).isZero();
        assertThat(verified.findings()).extracting(Finding::ruleId).containsExactly("harness-changed");
    }

    @Test
    void deletingTheTestScriptStillRunsTheBaseScript() throws IOException {
        Files.delete(repo.dir().resolve("test.sh"));

        ChangeVerified verified = verify(repo.diffAndReset(), LoopSpec.Level.L2, List.of());

        assertThat(verified.verdict()).isEqualTo(Verdict.ESCALATE);
        assertThat(verified.test().outputTail()).contains("2 checks passed");
        assertThat(verified.findings())
                .extracting(Finding::message)
                .containsExactly("the script the test command (sh test.sh) runs: deleted");
    }

    @Test
    void makingTheTestScriptExecutableIsAHarnessChange() throws IOException {
        repo.dir().resolve("test.sh").toFile().setExecutable(true);

        ChangeVerified verified = verify(repo.diffAndReset(), LoopSpec.Level.L2, List.of());

        assertThat(verified.verdict()).isEqualTo(Verdict.ESCALATE);
        assertThat(verified.findings())
                .extracting(Finding::message)
                .containsExactly("the script the test command (sh test.sh) runs: mode changed 100644 → 100755");
    }

    @Test
    void anAddedConftestIsRemovedBeforeTheTestsRun() {
        repo.write("conftest.py", "import sys\nsys.exit(0)\n");

        ChangeVerified verified = verify(repo.diffAndReset(), "test ! -e conftest.py", LoopSpec.Level.L3, List.of());

        assertThat(verified.verdict()).isEqualTo(Verdict.ESCALATE);
        assertThat(verified.test().exitCode()).as("the test saw no conftest.py").isZero();
        assertThat(verified.findings())
                .extracting(Finding::ruleId, Finding::file)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("harness-changed", "conftest.py"));
    }

    @Test
    void aLoopSpecInTheTargetRepositoryIsNeverChangedByALoop() {
        repo.write("loops/nightly/loopline.yaml", "id: nightly\nlevel: L3\n");

        ChangeVerified verified = verify(repo.diffAndReset(), LoopSpec.Level.L3, List.of());

        assertThat(verified.verdict()).isEqualTo(Verdict.ESCALATE);
        assertThat(verified.findings()).extracting(Finding::ruleId).containsExactly("loop-spec-changed");
    }

    @Test
    void theSpecsProtectedGlobsArePinned() {
        repo.write("fixtures/prices.csv", "a,1\n");

        ChangeVerified verified = verify(repo.diffAndReset(), LoopSpec.Level.L3, List.of("fixtures/**"));

        assertThat(verified.verdict()).isEqualTo(Verdict.ESCALATE);
        assertThat(verified.findings())
                .extracting(Finding::message)
                .containsExactly("protected by the spec (fixtures/**): added");
    }

    @Test
    void anHonestChangeAndADependencyBumpAreNotTheHarness() {
        repo.write("src/greeting.txt", "hello there\n")
                .write("package.json", "{\"name\":\"sample\",\"version\":\"1.1.0\",\"scripts\":{\"lint\":\"true\"}}\n");

        ChangeVerified verified = verify(repo.diffAndReset(), LoopSpec.Level.L3, List.of());

        assertThat(verified.verdict()).isEqualTo(Verdict.ACCEPT);
        assertThat(verified.findings()).isEmpty();
        assertThat(verified.reasons()).noneMatch(r -> r.contains("harness"));
    }

    private ChangeVerified verify(String diff, LoopSpec.Level level, List<String> protectedGlobs) {
        return verify(diff, "sh test.sh", level, protectedGlobs);
    }

    private ChangeVerified verify(String diff, String testCommand, LoopSpec.Level level, List<String> protectedGlobs) {
        LoopSpec spec = LoopSpec.builder(
                        "sample-loop",
                        LoopSpec.Kind.ASSISTED_FIX,
                        level,
                        new LoopSpec.Target(repo.dir().toString(), "main"))
                .test(new LoopSpec.Test(testCommand, 60))
                .maker(new LoopSpec.Maker("mock", null, null, List.of(), null))
                .allowlist(new LoopSpec.Allowlist(List.of("**"), null, null, null))
                .protectedPaths(protectedGlobs)
                .build();
        ChangeProposed proposal = new ChangeProposed(
                "main",
                repo.head(),
                diff,
                GitMirror.sha256Hex(diff),
                List.of(),
                "change",
                new ChangeProposed.MakerInfo("mock", null),
                Usage.NONE,
                0,
                spec);
        return verifier.verify(proposal, "harness-" + System.nanoTime());
    }
}
