package dev.loopline.agent.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.agent.client.BudgetLedgerStub;
import dev.loopline.agent.service.TestRepo;
import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventType;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.schemas.events.TriageReport;
import dev.loopline.schemas.events.TriageReport.Bucket;
import dev.loopline.schemas.http.LoopMemory;
import dev.loopline.schemas.json.Json;
import dev.loopline.schemas.spec.LoopSpec;
import dev.loopline.testsupport.KafkaTestClient;
import dev.loopline.testsupport.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The triage stage through the real broker on a real repository: the cursor comes from the state API (here the
 * stub standing in for state-service, whose cursor store is tested against Postgres in state-service), the report
 * goes out on the completion.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = BudgetLedgerStub.class, restrictToAnnotatedClass = false)
class TriageFlowTest {

    @ConfigProperty(name = "mp.messaging.incoming." + AgentChannels.TICKS + ".topic")
    String ticksTopic;

    @ConfigProperty(name = "mp.messaging.outgoing." + AgentChannels.PROPOSALS + ".topic")
    String proposalsTopic;

    @ConfigProperty(name = "mp.messaging.outgoing." + AgentChannels.COMPLETIONS + ".topic")
    String completionsTopic;

    @ConfigProperty(name = "loopline.agent.state.url")
    String stateUrl;

    @Test
    void aTriageLoopReportsTheCommitsSinceItsCursorBucketedAndThenNothingNew() throws Exception {
        String loop = newLoop("commit-triage-");
        TestRepo repo =
                TestRepo.create(Files.createTempDirectory("triage-flow")).write("a.txt", "1\n");
        String root = repo.commit("Initial commit");
        String fix = repo.write("a.txt", "2\n").commit("fix: refuse an empty token");
        String feature = repo.write("b.txt", "b\n").commit("Add the export endpoint");
        LoopSpec spec = triageSpec(loop, repo);

        TickCompleted first = run(loop, spec);

        assertThat(first.outcome()).isEqualTo(TickCompleted.Outcome.REPORTED);
        assertThat(first.tokens()).isZero();
        TriageReport report = first.triage();
        assertThat(report.decision()).isEqualTo(TriageReport.Decision.REPORT);
        assertThat(report.items())
                .extracting(TriageReport.Item::sha, TriageReport.Item::bucket)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(feature, Bucket.WATCH),
                        org.assertj.core.groups.Tuple.tuple(fix, Bucket.HIGH),
                        org.assertj.core.groups.Tuple.tuple(root, Bucket.WATCH));
        assertThat(report.cursors()).containsExactly(new TriageReport.Cursor("main", null, feature));
        assertThat(first.reason()).startsWith("triage: 3 commits: 1 high, 2 watch, 0 noise");
        assertThat(BudgetLedgerStub.reservationsOf(stateUrl, loop))
                .as("no model, no hold")
                .isEmpty();

        // state-service moves the cursor when it records the completion
        setCursor(loop, report);
        TickCompleted quiet = run(loop, spec);
        assertThat(quiet.outcome()).isEqualTo(TickCompleted.Outcome.NO_OP);
        assertThat(quiet.triage().items()).isEmpty();
        assertThat(quiet.triage().cursors()).containsExactly(new TriageReport.Cursor("main", feature, feature));

        String revert = repo.write("a.txt", "1\n").commit("Revert \"fix: refuse an empty token\"");
        TickCompleted next = run(loop, spec);
        assertThat(next.outcome()).isEqualTo(TickCompleted.Outcome.REPORTED);
        assertThat(next.triage().items()).singleElement().satisfies(item -> {
            assertThat(item.sha()).isEqualTo(revert);
            assertThat(item.bucket()).isEqualTo(Bucket.HIGH);
        });
    }

    @Test
    void aCursorThatIsNotACommitOfTheRepositoryFailsTheRunAndReportsNothing() throws Exception {
        String loop = newLoop("commit-triage-");
        TestRepo repo =
                TestRepo.create(Files.createTempDirectory("triage-flow")).write("a.txt", "1\n");
        repo.commit("Initial commit");
        String fabricated = "0123456789abcdef0123456789abcdef01234567";
        BudgetLedgerStub.putTriage(
                stateUrl,
                loop,
                Json.mapper()
                        .writeValueAsString(new LoopMemory.TriageState(
                                loop, "t-0", Instant.now(), Map.of("main", fabricated), null)));

        TickCompleted done = run(loop, triageSpec(loop, repo));

        assertThat(done.outcome()).isEqualTo(TickCompleted.Outcome.ERROR);
        assertThat(done.triage()).as("no report, so the cursor stays").isNull();
        assertThat(done.reason())
                .startsWith("triage failed: the cursor of main (" + fabricated + ") is not in the history of main")
                .endsWith("the cursor is kept");
    }

    @Test
    void withoutAnAnswerFromStateServiceTheTriageFailsClosed() throws Exception {
        String loop = newLoop(BudgetLedgerStub.BROKEN);
        TestRepo repo =
                TestRepo.create(Files.createTempDirectory("triage-flow")).write("a.txt", "1\n");
        repo.commit("Initial commit");

        TickCompleted done = run(loop, triageSpec(loop, repo));

        assertThat(done.outcome()).isEqualTo(TickCompleted.Outcome.ERROR);
        assertThat(done.triage()).isNull();
        assertThat(done.reason())
                .startsWith("triage not run: cannot read the loop's cursor from state-service: HTTP 503 from GET")
                .doesNotContain(BudgetLedgerStub.TOKEN);
    }

    @Test
    void aReportLoopWithAMakerActsOnItsTriageAndItsProposalCarriesTheReport() throws Exception {
        String loop = newLoop("weekly-report-");
        TestRepo repo =
                TestRepo.create(Files.createTempDirectory("triage-flow")).write("a.txt", "1\n");
        repo.commit("Initial commit");
        String fix = repo.write("a.txt", "2\n").commit("hotfix: the login page");
        LoopSpec spec = LoopSpec.builder(
                        loop,
                        LoopSpec.Kind.REPORT,
                        LoopSpec.Level.L1,
                        new LoopSpec.Target(repo.dir().toString(), "main"))
                .task("Summarise the week's changes in REPORT.md")
                .maker(new LoopSpec.Maker(
                        "mock",
                        null,
                        null,
                        List.of(new LoopSpec.Edit("REPORT.md", "report {{tick}}\n", null, null)),
                        9))
                .build();
        String tickId = "tick-" + UUID.randomUUID();

        KafkaTestClient.send(ticksTopic, trigger(loop, tickId, spec));

        Event event = KafkaTestClient.awaitEvent(proposalsTopic, tickId, EventType.CHANGE_PROPOSED.wireName());
        ChangeProposed proposed = event.dataAs(ChangeProposed.class);
        assertThat(proposed.files()).containsExactly("REPORT.md");
        assertThat(proposed.triage().decision()).isEqualTo(TriageReport.Decision.ACT);
        assertThat(proposed.triage().high()).isEqualTo(1);
        assertThat(proposed.triage().cursors()).containsExactly(new TriageReport.Cursor("main", null, fix));
        assertThat(proposed.spec().task())
                .startsWith("Summarise the week's changes in REPORT.md\n\nTriage of the commits since the last run")
                .contains("- high " + fix.substring(0, 12) + " hotfix: the login page");
    }

    private TickCompleted run(String loop, LoopSpec spec) {
        String tickId = "tick-" + UUID.randomUUID();
        KafkaTestClient.send(ticksTopic, trigger(loop, tickId, spec));
        Event event = KafkaTestClient.awaitEvent(completionsTopic, tickId, EventType.TICK_COMPLETED.wireName());
        assertThat(event.attempt()).isZero();
        return event.dataAs(TickCompleted.class);
    }

    private void setCursor(String loop, TriageReport report) throws Exception {
        Map<String, String> cursors = Map.of("main", report.cursors().get(0).to());
        BudgetLedgerStub.putTriage(
                stateUrl,
                loop,
                Json.mapper()
                        .writeValueAsString(new LoopMemory.TriageState(loop, "t-1", Instant.now(), cursors, report)));
    }

    private static String newLoop(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    private static LoopSpec triageSpec(String loop, TestRepo repo) {
        return LoopSpec.builder(
                        loop,
                        LoopSpec.Kind.TRIAGE,
                        LoopSpec.Level.L1,
                        new LoopSpec.Target(repo.dir().toString(), "main", List.of("main")))
                .build();
    }

    private static Event trigger(String loop, String tickId, LoopSpec spec) {
        return Event.of(
                "test",
                Instant.now(),
                loop,
                tickId,
                "default",
                0,
                new TickTriggered(TickTriggered.Trigger.manual("test"), "a".repeat(64), spec));
    }
}
