package dev.loopline.agent.messaging;

import static dev.loopline.agent.service.llm.Dialect.args;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.agent.client.BudgetLedgerStub;
import dev.loopline.agent.config.AgentConfig;
import dev.loopline.agent.service.TestRepo;
import dev.loopline.agent.service.llm.Dialect;
import dev.loopline.agent.service.llm.LlmSpecs;
import dev.loopline.agent.service.llm.ScriptedModelServer;
import dev.loopline.schemas.control.ControlCodec;
import dev.loopline.schemas.control.ControlScope;
import dev.loopline.schemas.control.KillSwitch;
import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventType;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.schemas.events.Usage;
import dev.loopline.schemas.json.Json;
import dev.loopline.schemas.spec.LoopSpec;
import dev.loopline.testsupport.KafkaTestClient;
import dev.loopline.testsupport.KafkaTestResource;
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
        // the ledger settles what the model used, priced at the spec's model
        String reservation = BudgetLedgerStub.reservationsOf(stateUrl, loop)
                .get(0)
                .path("reservationId")
                .asText();
        JsonNode settle = BudgetLedgerStub.followUpsOf(stateUrl, reservation).get(0);
        assertThat(settle.path("path").asText()).endsWith("/settle");
        assertThat(Json.mapper().readTree(settle.path("body").asText()))
                .isEqualTo(
                        Json.mapper().readTree("{\"actualTokens\":355,\"model\":\"test-model\",\"inputTokens\":320}"));
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
