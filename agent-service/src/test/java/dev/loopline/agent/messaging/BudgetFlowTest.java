package dev.loopline.agent.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.agent.client.BudgetLedgerStub;
import dev.loopline.agent.service.MakerFaults;
import dev.loopline.agent.service.MockMaker;
import dev.loopline.agent.service.TestRepo;
import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventType;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.schemas.json.Json;
import dev.loopline.schemas.spec.LoopSpec;
import dev.loopline.testsupport.KafkaTestClient;
import dev.loopline.testsupport.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The agent as a client of the budget ledger: a hold on global + team + loop before every maker run, the maker's
 * tokens settled after (or the hold released), no maker run when the hold is refused or the ledger cannot answer.
 * The ledger is {@link BudgetLedgerStub} over real HTTP, configured for every agent test.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = BudgetLedgerStub.class, restrictToAnnotatedClass = false)
class BudgetFlowTest {

    private static final String TEAM = "default";
    private static final String SPEC_HASH = "a".repeat(64);

    @ConfigProperty(name = "loopline.agent.state.url")
    String stateUrl;

    @ConfigProperty(name = "mp.messaging.incoming." + AgentChannels.TICKS + ".topic")
    String ticksTopic;

    @ConfigProperty(name = "mp.messaging.outgoing." + AgentChannels.PROPOSALS + ".topic")
    String proposalsTopic;

    @ConfigProperty(name = "mp.messaging.outgoing." + AgentChannels.COMPLETIONS + ".topic")
    String completionsTopic;

    @Test
    void holdsTheSpecsTokensPerRunOnGlobalTeamAndLoopAndSettlesWhatTheMakerReported() throws IOException {
        String loop = "budget-loop-" + shortId();
        String tickId = newTickId();
        LoopSpec spec = withBudget(mockSpec(loop, repo()), 700L);

        KafkaTestClient.send(ticksTopic, tick(loop, tickId, spec));

        ChangeProposed proposed = KafkaTestClient.awaitEvent(
                        proposalsTopic, tickId, EventType.CHANGE_PROPOSED.wireName())
                .dataAs(ChangeProposed.class);
        assertThat(proposed.usage().total()).isEqualTo(5);
        List<JsonNode> reservations = BudgetLedgerStub.reservationsOf(stateUrl, loop);
        assertThat(reservations).hasSize(1);
        JsonNode reserve = reservations.get(0);
        assertThat(reserve.path("authorization").asText()).isEqualTo("Bearer " + BudgetLedgerStub.TOKEN);
        // ttl = the maker timeout (shell-timeout, 10m) + hold-margin (2m)
        assertThat(Json.mapper().readTree(reserve.path("body").asText()))
                .isEqualTo(Json.mapper()
                        .readTree("{\"scopes\":[{\"kind\":\"global\"},{\"kind\":\"team\",\"id\":\"" + TEAM + "\"},"
                                + "{\"kind\":\"loop\",\"id\":\"" + loop + "\"}],\"tokens\":700,\"ttlSeconds\":720,"
                                + "\"model\":\"mock\",\"idempotencyKey\":\"tick:" + tickId + ":attempt:1:call:0\"}"));
        String id = reserve.path("reservationId").asText();
        List<JsonNode> followUps = BudgetLedgerStub.followUpsOf(stateUrl, id);
        assertThat(followUps).hasSize(1);
        JsonNode settle = followUps.get(0);
        assertThat(settle.path("method").asText()).isEqualTo("POST");
        assertThat(settle.path("path").asText()).isEqualTo("/api/v1/budget/reservations/" + id + "/settle");
        assertThat(settle.path("authorization").asText()).isEqualTo("Bearer " + BudgetLedgerStub.TOKEN);
        assertThat(Json.mapper().readTree(settle.path("body").asText()))
                .isEqualTo(Json.mapper().readTree("{\"actualTokens\":5,\"model\":\"mock\",\"inputTokens\":0}"));
    }

    @Test
    void aTickDeliveredTwiceAsksForTheSameHoldAndIsChargedOnce() throws IOException {
        String loop = "budget-loop-" + shortId();
        String tickId = newTickId();
        LoopSpec spec = withBudget(mockSpec(loop, repo()), 700L);
        Event tick = tick(loop, tickId, spec);

        // at-least-once delivery: the same record again, as after a crash before the offset was committed
        KafkaTestClient.send(ticksTopic, tick);
        KafkaTestClient.send(ticksTopic, tick);

        Awaitility.await()
                .atMost(KafkaTestClient.TIMEOUT)
                .until(() -> settlementsOf(loop).size() == 2);
        List<JsonNode> reservations = BudgetLedgerStub.reservationsOf(stateUrl, loop);
        assertThat(reservations).hasSize(2);
        String key = "tick:" + tickId + ":attempt:1:call:0";
        assertThat(reservations)
                .extracting(r -> body(r).path("idempotencyKey").asText())
                .containsExactly(key, key);
        assertThat(reservations).extracting(r -> r.path("replayed").asBoolean()).containsExactly(false, true);
        String id = reservations.get(0).path("reservationId").asText();
        assertThat(reservations.get(1).path("reservationId").asText()).isEqualTo(id);
        List<JsonNode> settlements = settlementsOf(loop);
        assertThat(settlements)
                .extracting(r -> r.path("path").asText())
                .containsOnly("/api/v1/budget/reservations/" + id + "/settle");
        // the mock maker reports 5 tokens per run; the ledger charged the key once
        assertThat(settlements.stream()
                        .mapToLong(r -> r.path("charged").asLong())
                        .sum())
                .isEqualTo(5);
    }

    @Test
    void aTickDeliveredAgainAfterItsAttemptWasProposedRunsNoSecondMaker() throws IOException {
        String loop = "budget-loop-" + shortId();
        String tickId = newTickId();
        String earlier = newTickId();
        LoopSpec spec = withBudget(mockSpec(loop, repo()), 700L);
        // what the run log holds after a worker proposed attempt 1 and its acknowledgement was lost in a rebalance
        BudgetLedgerStub.putTick(
                stateUrl,
                tickId,
                "{\"tickId\":\"" + tickId + "\",\"outcome\":null,\"timeline\":["
                        + "{\"type\":\"loopline.tick.triggered\",\"attempt\":0,\"time\":\"2026-12-07T09:00:00Z\"},"
                        + "{\"type\":\"loopline.change.proposed\",\"attempt\":1,\"time\":\"2026-12-07T09:00:01Z\"}]}");
        BudgetLedgerStub.putTick(
                stateUrl, earlier, "{\"tickId\":\"" + earlier + "\",\"outcome\":\"merged\",\"timeline\":[]}");

        KafkaTestClient.send(ticksTopic, tick(loop, tickId, spec));
        KafkaTestClient.send(ticksTopic, tick(loop, earlier, spec));
        // a tick the run log does not know, sent after them on the same partition (one loop, one key): once it is
        // proposed, the two before it were handled
        String fresh = newTickId();
        KafkaTestClient.send(ticksTopic, tick(loop, fresh, spec));
        KafkaTestClient.awaitEvent(proposalsTopic, fresh, EventType.CHANGE_PROPOSED.wireName());

        assertThat(KafkaTestClient.recordsContaining(proposalsTopic, tickId)).isEmpty();
        assertThat(KafkaTestClient.recordsContaining(completionsTopic, tickId)).isEmpty();
        assertThat(KafkaTestClient.recordsContaining(proposalsTopic, earlier)).isEmpty();
        assertThat(KafkaTestClient.recordsContaining(completionsTopic, earlier)).isEmpty();
        assertThat(BudgetLedgerStub.reservationsOf(stateUrl, loop))
                .as("one hold: the fresh tick's; no maker ran for the two that had run")
                .extracting(r -> body(r).path("idempotencyKey").asText())
                .containsExactly("tick:" + fresh + ":attempt:1:call:0");
    }

    @Test
    void sendsTheSpecsDailyTokensAsTheLoopsDeclaredCap() throws IOException {
        String loop = "budget-loop-" + shortId();
        String tickId = newTickId();
        LoopSpec spec = mockSpec(loop, repo()).toBuilder()
                .budget(new LoopSpec.Budget(700L, 12_345L, null))
                .build();

        KafkaTestClient.send(ticksTopic, tick(loop, tickId, spec));

        KafkaTestClient.awaitEvent(proposalsTopic, tickId, EventType.CHANGE_PROPOSED.wireName());
        List<JsonNode> reservations = BudgetLedgerStub.reservationsOf(stateUrl, loop);
        assertThat(reservations).hasSize(1);
        assertThat(body(reservations.get(0)).path("loopDailyTokens").asLong()).isEqualTo(12_345L);
    }

    private List<JsonNode> settlementsOf(String loop) {
        List<String> ids = BudgetLedgerStub.reservationsOf(stateUrl, loop).stream()
                .map(r -> r.path("reservationId").asText())
                .distinct()
                .toList();
        return ids.stream()
                .flatMap(id -> BudgetLedgerStub.followUpsOf(stateUrl, id).stream())
                .filter(r -> r.path("path").asText().endsWith("/settle"))
                .toList();
    }

    @Test
    void holdsTheConfiguredDefaultForASpecWithoutTokensPerRunAndReleasesWhatAShellMakerDidNotSpend()
            throws IOException {
        String loop = "budget-loop-" + shortId();
        String tickId = newTickId();
        LoopSpec spec = withMaker(
                mockSpec(loop, repo()), new LoopSpec.Maker("shell", null, "echo shell > SHELL.md", null, null));

        KafkaTestClient.send(ticksTopic, tick(loop, tickId, spec));

        ChangeProposed proposed = KafkaTestClient.awaitEvent(
                        proposalsTopic, tickId, EventType.CHANGE_PROPOSED.wireName())
                .dataAs(ChangeProposed.class);
        assertThat(proposed.files()).containsExactly("SHELL.md");
        List<JsonNode> reservations = BudgetLedgerStub.reservationsOf(stateUrl, loop);
        assertThat(reservations).hasSize(1);
        assertThat(body(reservations.get(0)).path("tokens").asLong()).isEqualTo(50_000);
        String id = reservations.get(0).path("reservationId").asText();
        List<JsonNode> followUps = BudgetLedgerStub.followUpsOf(stateUrl, id);
        assertThat(followUps).hasSize(1);
        assertThat(followUps.get(0).path("method").asText()).isEqualTo("DELETE");
        assertThat(followUps.get(0).path("path").asText()).isEqualTo("/api/v1/budget/reservations/" + id);
    }

    @Test
    void aRefusedHoldRunsNoMakerAndEndsTheTickHaltedNamingTheScopeAndItsReset() throws IOException {
        String loop = BudgetLedgerStub.EXHAUSTED + shortId();
        String tickId = newTickId();
        Path marker = Files.createTempDirectory("budget-flow-marker").resolve("ran");
        LoopSpec spec = withBudget(
                withMaker(mockSpec(loop, repo()), new LoopSpec.Maker("shell", null, "touch " + marker, null, null)),
                700L);

        KafkaTestClient.send(ticksTopic, tick(loop, tickId, spec));

        TickCompleted done = KafkaTestClient.awaitEvent(completionsTopic, tickId, EventType.TICK_COMPLETED.wireName())
                .dataAs(TickCompleted.class);
        assertThat(done.outcome()).isEqualTo(TickCompleted.Outcome.HALTED);
        assertThat(done.halt()).isEqualTo(TickCompleted.Halt.BUDGET);
        assertThat(done.reason())
                .isEqualTo("budget of loop " + loop + " exhausted: cap 1000, spent 960, held 0,"
                        + " requested 700; resets at 2031-01-02T00:00:00Z");
        assertThat(done.tokens()).isZero();
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(marker).doesNotExist();
        assertThat(BudgetLedgerStub.reservationsOf(stateUrl, loop)).hasSize(1);
    }

    @Test
    void aLedgerThatCannotAnswerRunsNoMakerAndHaltsTheTick() throws IOException {
        String loop = BudgetLedgerStub.BROKEN + shortId();
        String tickId = newTickId();
        Path marker = Files.createTempDirectory("budget-flow-marker").resolve("ran");
        LoopSpec spec =
                withMaker(mockSpec(loop, repo()), new LoopSpec.Maker("shell", null, "touch " + marker, null, null));

        KafkaTestClient.send(ticksTopic, tick(loop, tickId, spec));

        TickCompleted done = KafkaTestClient.awaitEvent(completionsTopic, tickId, EventType.TICK_COMPLETED.wireName())
                .dataAs(TickCompleted.class);
        assertThat(done.outcome()).isEqualTo(TickCompleted.Outcome.HALTED);
        assertThat(done.halt()).isEqualTo(TickCompleted.Halt.BUDGET);
        assertThat(done.reason())
                .isEqualTo("budget ledger unavailable: HTTP 503 from POST " + stateUrl
                        + "/api/v1/budget/reservations: Service Unavailable (database down)");
        assertThat(done.reason()).doesNotContain(BudgetLedgerStub.TOKEN);
        assertThat(marker).doesNotExist();
    }

    @Test
    void aMakerThatFailsAfterSpendingHasItsTokensSettledAndCounted() throws IOException {
        String loop = "budget-loop-" + shortId();
        String tickId = newTickId();
        LoopSpec spec = withBudget(
                withMaker(
                        mockSpec(loop, repo()),
                        new LoopSpec.Maker(MockMaker.TYPE, MakerFaults.SPENDING_THEN_FAILING, null, null, null)),
                300L);

        KafkaTestClient.send(ticksTopic, tick(loop, tickId, spec));

        TickCompleted done = KafkaTestClient.awaitEvent(completionsTopic, tickId, EventType.TICK_COMPLETED.wireName())
                .dataAs(TickCompleted.class);
        assertThat(done.outcome()).isEqualTo(TickCompleted.Outcome.ERROR);
        assertThat(done.reason()).isEqualTo("the model answered no usable edit");
        assertThat(done.tokens()).isEqualTo(42);
        String id = BudgetLedgerStub.reservationsOf(stateUrl, loop)
                .get(0)
                .path("reservationId")
                .asText();
        List<JsonNode> followUps = BudgetLedgerStub.followUpsOf(stateUrl, id);
        assertThat(followUps).hasSize(1);
        assertThat(followUps.get(0).path("path").asText()).endsWith("/settle");
        assertThat(body(followUps.get(0)))
                .isEqualTo(Json.mapper().readTree("{\"actualTokens\":42,\"inputTokens\":30}"));
    }

    @Test
    void aMakerThatCrashesHasItsHoldReleased() throws IOException {
        String loop = "budget-loop-" + shortId();
        String tickId = newTickId();
        LoopSpec spec = withMaker(
                mockSpec(loop, repo()), new LoopSpec.Maker(MockMaker.TYPE, MakerFaults.EXPLODING, null, null, null));

        KafkaTestClient.send(ticksTopic, tick(loop, tickId, spec));

        TickCompleted done = KafkaTestClient.awaitEvent(completionsTopic, tickId, EventType.TICK_COMPLETED.wireName())
                .dataAs(TickCompleted.class);
        assertThat(done.outcome()).isEqualTo(TickCompleted.Outcome.ERROR);
        String id = BudgetLedgerStub.reservationsOf(stateUrl, loop)
                .get(0)
                .path("reservationId")
                .asText();
        List<JsonNode> followUps = BudgetLedgerStub.followUpsOf(stateUrl, id);
        assertThat(followUps).hasSize(1);
        assertThat(followUps.get(0).path("method").asText()).isEqualTo("DELETE");
    }

    private static JsonNode body(JsonNode recorded) {
        try {
            return Json.mapper().readTree(recorded.path("body").asText());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static TestRepo repo() throws IOException {
        TestRepo repo =
                TestRepo.create(Files.createTempDirectory("budget-flow-source")).write("README.md", "# demo\n");
        repo.commit("initial");
        return repo;
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static String newTickId() {
        return "tick-" + UUID.randomUUID();
    }

    private static Event tick(String loop, String tickId, LoopSpec spec) {
        return Event.of(
                "test",
                Instant.now(),
                loop,
                tickId,
                TEAM,
                0,
                new TickTriggered(TickTriggered.Trigger.manual("test"), SPEC_HASH, spec));
    }

    private static LoopSpec mockSpec(String loop, TestRepo repo) {
        return LoopSpec.builder(
                        loop,
                        LoopSpec.Kind.ASSISTED_FIX,
                        LoopSpec.Level.L2,
                        new LoopSpec.Target(repo.dir().toString(), "main"))
                .maker(new LoopSpec.Maker(
                        "mock", null, null, List.of(new LoopSpec.Edit("NOTES.md", "budgeted\n", null, null)), 5))
                .build();
    }

    private static LoopSpec withBudget(LoopSpec s, Long tokensPerRun) {
        return s.toBuilder()
                .budget(new LoopSpec.Budget(tokensPerRun, null, null))
                .build();
    }

    private static LoopSpec withMaker(LoopSpec s, LoopSpec.Maker maker) {
        return s.toBuilder().maker(maker).build();
    }
}
