package dev.loopline.agent.messaging;

import static dev.loopline.testsupport.model.Dialect.args;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.agent.client.BudgetLedgerStub;
import dev.loopline.agent.config.AgentConfig;
import dev.loopline.agent.service.TestRepo;
import dev.loopline.core.io.GitMirror;
import dev.loopline.schemas.control.ControlCodec;
import dev.loopline.schemas.control.ControlScope;
import dev.loopline.schemas.control.KillSwitch;
import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.EarlierAttempt;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventType;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.schemas.events.Usage;
import dev.loopline.schemas.json.Json;
import dev.loopline.schemas.spec.LoopSpec;
import dev.loopline.testsupport.KafkaTestClient;
import dev.loopline.testsupport.KafkaTestResource;
import dev.loopline.testsupport.model.Dialect;
import dev.loopline.testsupport.model.LlmSpecs;
import dev.loopline.testsupport.model.ScriptedModelServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Ticks whose spec names an LLM maker, through the real broker, against a scripted model server: a proposal with the
 * model's diff and tokens, and a kill switch that stops a run in progress.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = BudgetLedgerStub.class, restrictToAnnotatedClass = false)
class LlmMakerFlowTest {

    /** Set for the test JVM by the surefire configuration; the specs name it in {@code apiKeyEnv}. */
    private static final String KEY_VARIABLE = "LOOPLINE_TEST_LLM_KEY";

    private static final String SPEC_HASH = "a".repeat(64);

    @ConfigProperty(name = "loopline.agent.state.url")
    String stateUrl;

    @ConfigProperty(name = "loopline.agent.control-topic")
    String controlTopic;

    @ConfigProperty(name = "mp.messaging.incoming." + AgentChannels.TICKS + ".topic")
    String ticksTopic;

    @ConfigProperty(name = "mp.messaging.incoming." + AgentChannels.VERDICTS + ".topic")
    String verdictsTopic;

    @ConfigProperty(name = "mp.messaging.outgoing." + AgentChannels.PROPOSALS + ".topic")
    String proposalsTopic;

    @ConfigProperty(name = "mp.messaging.outgoing." + AgentChannels.COMPLETIONS + ".topic")
    String completionsTopic;

    @Inject
    AgentConfig config;

    @Test
    void anOpenAiTickProposesTheModelsDiffWithItsTokensAndNeverTheKey() throws IOException {
        String key = System.getenv(KEY_VARIABLE);
        assertThat(key).as("surefire sets " + KEY_VARIABLE).isNotBlank();
        String loop = "llm-loop-" + UUID.randomUUID().toString().substring(0, 8);
        String tickId = "tick-" + UUID.randomUUID();
        TestRepo repo = repo();
        String baseSha = repo.commit("initial");
        Dialect openai = Dialect.OPENAI;
        try (ScriptedModelServer server = ScriptedModelServer.start()) {
            server.then(openai.toolCall(
                            "call_1",
                            "write_file",
                            args("path", "NOTES.md", "content", "made by the model\n"),
                            120,
                            15))
                    .then(openai.answer("<think>done</think>Wrote NOTES.md.", 200, 20));

            KafkaTestClient.send(ticksTopic, tick(loop, tickId, spec(loop, repo, openai, server)));

            ConsumerRecord<String, String> record =
                    KafkaTestClient.awaitRecord(proposalsTopic, r -> r.value().contains(tickId));
            ChangeProposed proposed =
                    KafkaTestClient.decodeOrNull(record.value()).dataAs(ChangeProposed.class);
            assertThat(proposed.baseSha()).isEqualTo(baseSha);
            assertThat(proposed.files()).containsExactly("NOTES.md");
            assertThat(proposed.diff())
                    .startsWith("diff --git a/NOTES.md b/NOTES.md\nnew file mode 100644\n")
                    .endsWith("@@ -0,0 +1 @@\n+made by the model\n");
            assertThat(proposed.summary()).isEqualTo("Wrote NOTES.md.");
            assertThat(proposed.maker()).isEqualTo(new ChangeProposed.MakerInfo("openai", "test-model"));
            assertThat(proposed.usage()).isEqualTo(new Usage(320, 35));
            assertThat(proposed.tickTokens()).isEqualTo(355);
            assertThat(record.value()).doesNotContain(key);

            List<ScriptedModelServer.Received> requests = server.received();
            assertThat(requests).hasSize(2);
            assertThat(requests).allSatisfy(r -> assertThat(openai.key(r)).isEqualTo(key));
            assertThat(openai.toolResults(requests.get(1).json())).containsExactly("wrote NOTES.md (18 bytes)");
        }
        // every model call was held before it was made, for what the run could still spend, and settled from its own
        // usage, priced at the spec's model
        List<JsonNode> holds = BudgetLedgerStub.reservationsOf(stateUrl, loop);
        assertThat(holds).hasSize(2);
        assertThat(holds)
                .extracting(h -> body(h).path("idempotencyKey").asText())
                .containsExactly("tick:" + tickId + ":attempt:1:call:0", "tick:" + tickId + ":attempt:1:call:1");
        assertThat(holds).extracting(h -> body(h).path("tokens").asLong()).containsExactly(50_000L, 50_000L - 135);
        assertThat(holds)
                .extracting(h -> body(BudgetLedgerStub.followUpsOf(
                                stateUrl, h.path("reservationId").asText())
                        .get(0)))
                .containsExactly(
                        Json.mapper().readTree("{\"actualTokens\":135,\"model\":\"test-model\",\"inputTokens\":120}"),
                        Json.mapper().readTree("{\"actualTokens\":220,\"model\":\"test-model\",\"inputTokens\":200}"));
    }

    @Test
    void aRetrysPromptReflectsOnEveryEarlierAttemptNotOnlyTheLast() throws IOException {
        String loop = "llm-retry-" + UUID.randomUUID().toString().substring(0, 8);
        String tickId = "tick-" + UUID.randomUUID();
        TestRepo repo = repo();
        String baseSha = repo.commit("initial");
        Dialect openai = Dialect.OPENAI;
        try (ScriptedModelServer server = ScriptedModelServer.start()) {
            server.then(openai.toolCall("call_1", "write_file", args("path", "B.md", "content", "b\n"), 100, 10))
                    .then(openai.answer("Wrote B.md.", 120, 10));
            LoopSpec spec = spec(loop, repo, openai, server);
            String diff = "diff --git a/A.md b/A.md\n";
            ChangeVerified second = new ChangeVerified(
                    ChangeVerified.Verdict.REJECT,
                    List.of("tests failed: beta broke"),
                    List.of(),
                    new ChangeVerified.TestResult("./test.sh", 1, false, 10, "FAIL beta_test\n", "bubblewrap"),
                    "main",
                    baseSha,
                    diff,
                    GitMirror.sha256Hex(diff),
                    40,
                    spec,
                    List.of(new EarlierAttempt(1, List.of("tests failed: alpha broke"), "1".repeat(64))));

            KafkaTestClient.send(verdictsTopic, Event.of("test", Instant.now(), loop, tickId, "default", 2, second));

            Event proposed = KafkaTestClient.awaitEvent(proposalsTopic, tickId, EventType.CHANGE_PROPOSED.wireName());
            assertThat(proposed.attempt()).isEqualTo(3);
            String prompt = server.received().get(0).json().toString();
            assertThat(prompt)
                    .contains("--- attempt 1 ---\\nAttempt 1 was rejected: tests failed: alpha broke")
                    .contains("--- attempt 2 ---\\nAttempt 2 was rejected: tests failed: beta broke")
                    .contains("FAIL beta_test");
        }
    }

    @Test
    void aHoldRefusedBeforeAModelCallEndsTheTickHaltedWithTheTokensSpentSoFar() throws IOException {
        String loop = BudgetLedgerStub.ONE_HOLD + UUID.randomUUID().toString().substring(0, 8);
        String tickId = "tick-" + UUID.randomUUID();
        TestRepo repo = repo();
        repo.commit("initial");
        Dialect openai = Dialect.OPENAI;
        try (ScriptedModelServer server = ScriptedModelServer.start()) {
            server.then(openai.toolCall("call_1", "write_file", args("path", "A.md", "content", "a\n"), 120, 15))
                    .then(openai.answer("never asked for", 200, 20));

            KafkaTestClient.send(ticksTopic, tick(loop, tickId, spec(loop, repo, openai, server)));

            TickCompleted done = KafkaTestClient.awaitEvent(
                            completionsTopic, tickId, EventType.TICK_COMPLETED.wireName())
                    .dataAs(TickCompleted.class);
            assertThat(done.outcome()).isEqualTo(TickCompleted.Outcome.HALTED);
            assertThat(done.halt()).isEqualTo(TickCompleted.Halt.BUDGET);
            assertThat(done.reason()).startsWith("budget of loop " + loop + " exhausted");
            assertThat(done.tokens()).isEqualTo(135);
            // the second call was never made: its hold came first and was refused
            assertThat(server.received()).hasSize(1);
        }
        List<JsonNode> holds = BudgetLedgerStub.reservationsOf(stateUrl, loop);
        assertThat(holds).hasSize(2);
        assertThat(BudgetLedgerStub.followUpsOf(
                        stateUrl, holds.get(0).path("reservationId").asText()))
                .extracting(f -> body(f).path("actualTokens").asLong())
                .containsExactly(135L);
    }

    private static JsonNode body(JsonNode recorded) {
        try {
            return Json.mapper().readTree(recorded.path("body").asText());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aKillOfTheLoopStopsARunningAnthropicMakerAndCountsTheTokensItSpent() throws IOException {
        String loop = "llm-kill-" + UUID.randomUUID().toString().substring(0, 8);
        String tickId = "tick-" + UUID.randomUUID();
        TestRepo repo = repo();
        repo.commit("initial");
        Dialect anthropic = Dialect.ANTHROPIC;
        Path worktree = config.workDir().resolve("worktrees").resolve(tickId + "-1");
        try (ScriptedModelServer server = ScriptedModelServer.start()) {
            server.then(
                    anthropic.toolCall("toolu_1", "run_command", args("command", "touch started && sleep 45"), 50, 5));

            KafkaTestClient.send(ticksTopic, tick(loop, tickId, spec(loop, repo, anthropic, server)));
            await().atMost(KafkaTestClient.TIMEOUT).until(() -> Files.exists(worktree.resolve("started")));
            Instant killedAt = Instant.now();
            KillSwitch kill = new KillSwitch(
                    ControlScope.LOOP, loop, KillSwitch.State.KILLED, "model runs away", "erin", Instant.now());
            KafkaTestClient.send(controlTopic, kill.key(), ControlCodec.encode(kill));

            TickCompleted done = KafkaTestClient.awaitEvent(
                            completionsTopic, tickId, EventType.TICK_COMPLETED.wireName())
                    .dataAs(TickCompleted.class);
            // the command sleeps 45 s: completing well before that means the run was stopped, not waited for
            assertThat(java.time.Duration.between(killedAt, Instant.now()))
                    .isLessThan(java.time.Duration.ofSeconds(30));
            assertThat(done.outcome()).isEqualTo(TickCompleted.Outcome.HALTED);
            assertThat(done.halt()).isEqualTo(TickCompleted.Halt.KILL_SWITCH);
            assertThat(done.reason()).endsWith(": model runs away");
            assertThat(done.tokens()).isEqualTo(55);
            assertThat(server.received()).hasSize(1);
            assertThat(worktree).doesNotExist();
        }
    }

    private static TestRepo repo() throws IOException {
        return TestRepo.create(Files.createTempDirectory("llm-flow-source")).write("README.md", "# demo\n");
    }

    private static LoopSpec spec(String loop, TestRepo repo, Dialect dialect, ScriptedModelServer server) {
        return LoopSpec.builder(
                        loop,
                        LoopSpec.Kind.ASSISTED_FIX,
                        LoopSpec.Level.L2,
                        new LoopSpec.Target(repo.dir().toString(), "main"))
                .task("Add a NOTES.md saying what made it.")
                .maker(LlmSpecs.maker(dialect.makerType(), "test-model", dialect.baseUrl(server), KEY_VARIABLE, 5))
                .build();
    }

    private static Event tick(String loop, String tickId, LoopSpec spec) {
        return Event.of(
                "test",
                Instant.now(),
                loop,
                tickId,
                "default",
                0,
                new TickTriggered(TickTriggered.Trigger.manual("test"), SPEC_HASH, spec));
    }
}
