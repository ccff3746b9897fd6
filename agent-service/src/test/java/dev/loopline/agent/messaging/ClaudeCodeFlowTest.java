package dev.loopline.agent.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.agent.config.ClaudeCodeConfig;
import dev.loopline.agent.service.TestRepo;
import dev.loopline.makers.claude.ClaudeCodeBinary;
import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventType;
import dev.loopline.schemas.events.Finding;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.schemas.events.Usage;
import dev.loopline.schemas.spec.LoopSpec;
import dev.loopline.testsupport.AnthropicStub;
import dev.loopline.testsupport.AnthropicStub.Turn;
import dev.loopline.testsupport.KafkaTestClient;
import dev.loopline.testsupport.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** A tick of a claude-code loop through Kafka: the real CLI's change and the guard's findings on the proposal. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = AnthropicStub.class, restrictToAnnotatedClass = false)
class ClaudeCodeFlowTest {

    @ConfigProperty(name = "mp.messaging.incoming." + AgentChannels.TICKS + ".topic")
    String ticksTopic;

    @ConfigProperty(name = "mp.messaging.outgoing." + AgentChannels.PROPOSALS + ".topic")
    String proposalsTopic;

    @Inject
    ClaudeCodeConfig config;

    @Test
    void theProposalCarriesTheChangeTheUsageAndWhatTheGuardBlocked() throws IOException {
        assertThat(ClaudeCodeBinary.locate(config.binary()))
                .as(ClaudeCodeBinary.NOT_INSTALLED)
                .isPresent();
        TestRepo repo =
                TestRepo.create(Files.createTempDirectory("claude-flow-source")).write("README.md", "# x\n");
        repo.commit("initial");
        String tickId = "tick-" + UUID.randomUUID();
        AnthropicStub.play(List.of(
                Turn.tool("Bash", Map.of("command", "mkdir -p notes && echo 'the plan' > notes/plan.md")),
                Turn.tool("Bash", Map.of("command", "rm -rf /")),
                Turn.text("Wrote the plan.")));
        LoopSpec spec = LoopSpec.builder(
                        "claude-flow",
                        LoopSpec.Kind.ASSISTED_FIX,
                        LoopSpec.Level.L2,
                        new LoopSpec.Target(repo.dir().toString(), "main"))
                .task("Write down the plan.")
                .maker(new LoopSpec.Maker("claude-code", "claude-sonnet-4-5", null, null, null, null, null, 5, null))
                .build();

        KafkaTestClient.send(
                ticksTopic,
                Event.of(
                        "test",
                        Instant.now(),
                        "claude-flow",
                        tickId,
                        "default",
                        0,
                        new TickTriggered(TickTriggered.Trigger.manual("test"), "b".repeat(64), spec)));

        ChangeProposed proposed = KafkaTestClient.awaitEvent(
                        proposalsTopic, tickId, EventType.CHANGE_PROPOSED.wireName())
                .dataAs(ChangeProposed.class);
        assertThat(proposed.files()).containsExactly("notes/plan.md");
        assertThat(proposed.diff()).contains("+the plan");
        assertThat(proposed.maker()).isEqualTo(new ChangeProposed.MakerInfo("claude-code", "claude-sonnet-4-5"));
        assertThat(proposed.findings()).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("fs-recursive-delete");
            assertThat(f.severity()).isEqualTo(Finding.Severity.HIGH);
            assertThat(f.evidence()).isEqualTo("rm -rf /");
        });
        long answers = 3;
        Usage expected = new Usage(
                answers * (AnthropicStub.INPUT + AnthropicStub.CACHE_WRITE + AnthropicStub.CACHE_READ),
                answers * AnthropicStub.OUTPUT);
        assertThat(proposed.usage()).isEqualTo(expected);
        assertThat(proposed.tickTokens()).isEqualTo(expected.total());
        assertThat(proposed.summary())
                .startsWith("claude-code: Wrote the plan. (3 turns")
                .contains("1 tool call blocked");
    }
}
