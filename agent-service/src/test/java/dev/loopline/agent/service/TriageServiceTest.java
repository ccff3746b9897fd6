package dev.loopline.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.agent.client.BudgetLedgerStub;
import dev.loopline.agent.client.LoopMemoryClient;
import dev.loopline.core.io.Git;
import dev.loopline.core.io.GitMirror;
import dev.loopline.core.triage.Commit;
import dev.loopline.core.triage.CommitLog;
import dev.loopline.core.triage.git.GitCommitLog;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.spec.LoopSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stage's grounding step, one class: the history is read through a {@link CommitLog} that lies about one commit
 * (as a buggy or tampered reader would), and the real verifier on the real mirror must refuse the report.
 */
class TriageServiceTest {

    @TempDir
    Path tmp;

    BudgetLedgerStub state;
    TriageService triage;
    TestRepo repo;

    @BeforeEach
    void setUp() throws Exception {
        state = new BudgetLedgerStub();
        state.start();
        triage = new TriageService();
        triage.config = new TestAgentConfig("control", Duration.ofSeconds(1));
        triage.mirrors = new GitMirror(new Git(), Files.createDirectory(tmp.resolve("work")));
        triage.memory = LoopMemoryClient.of(
                HttpClient.newHttpClient(), URI.create(state.url()), BudgetLedgerStub.TOKEN, Duration.ofSeconds(5));
        triage.registry = new SimpleMeterRegistry();
        repo = TestRepo.create(Files.createDirectory(tmp.resolve("repo"))).write("a.txt", "1\n");
        repo.commit("Initial commit");
        repo.write("a.txt", "2\n").commit("fix: refuse an empty token");
    }

    @AfterEach
    void tearDown() {
        state.stop();
    }

    private LoopSpec spec() {
        return LoopSpec.builder(
                        "commit-triage",
                        LoopSpec.Kind.TRIAGE,
                        LoopSpec.Level.L1,
                        new LoopSpec.Target(repo.dir().toString(), "main"))
                .build();
    }

    @Test
    void aReportCitingACommitTheRepositoryDoesNotHaveInvalidatesTheRun() {
        String fabricated = "0123456789abcdef0123456789abcdef01234567";
        triage.commitLogs = mirror -> new LyingLog(new GitCommitLog(new Git(), mirror), fabricated);

        TriageService.Triaged result = triage.triage("commit-triage", "t-1", spec());

        TickCompleted done = ((TriageService.Done) result).completed();
        assertThat(done.outcome()).isEqualTo(TickCompleted.Outcome.ERROR);
        assertThat(done.triage()).isNull();
        assertThat(done.reason())
                .startsWith("triage report refused, the run is invalid and the cursor is kept")
                .contains(fabricated + " is fabricated (no such object)");
        assertThat(triage.registry.counter("loopline.agent.triage.refused").count())
                .isEqualTo(1.0);
    }

    @Test
    void theHonestReaderOfTheSameMirrorIsAccepted() {
        TriageService.Triaged result = triage.triage("commit-triage", "t-1", spec());

        TickCompleted done = ((TriageService.Done) result).completed();
        assertThat(done.outcome()).isEqualTo(TickCompleted.Outcome.REPORTED);
        assertThat(done.triage().items()).hasSize(2);
    }

    /** Reads the real history and swaps the newest commit's id for another. */
    private record LyingLog(CommitLog real, String fake) implements CommitLog {
        @Override
        public String head(String ref) {
            return real.head(ref);
        }

        @Override
        public boolean isAncestor(String sha, String head) {
            return real.isAncestor(sha, head);
        }

        @Override
        public List<Commit> between(String since, String head, int max) {
            List<Commit> commits = new ArrayList<>(real.between(since, head, max));
            Commit newest = commits.get(0);
            commits.set(0, new Commit(fake, newest.parents(), newest.subject()));
            return commits;
        }
    }
}
