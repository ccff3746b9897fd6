package dev.loopline.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.agent.client.RunLogClient;
import dev.loopline.core.guard.injection.UntrustedText;
import dev.loopline.schemas.events.EarlierAttempt;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventData;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.schemas.spec.LoopSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An attempt handed to another worker while it runs publishes nothing; one that keeps its partition publishes. */
class AgentServiceHandOverTest {

    private static final RecordPartition MOVES = new RecordPartition("loopline.ticks", 0);
    private static final RecordPartition STAYS = new RecordPartition("loopline.ticks", 2);

    private TickControl control;
    private AgentService agent;
    private SimpleMeterRegistry registry;

    @BeforeEach
    void setUp() {
        control = TestAgentConfig.tickControl();
        control.state().markCaughtUp();
        registry = new SimpleMeterRegistry();
        agent = new AgentService();
        agent.control = control;
        agent.registry = registry;
        agent.untrusted = new UntrustedText();
        agent.proposals = new RebalancedMidMaker();
        // no state-service: the run log cannot tell, so every attempt runs
        agent.runLog = RunLogClient.of(HttpClient.newHttpClient(), null, null, Duration.ofSeconds(1));
    }

    @Test
    void anAttemptHandedOverWhileItsMakerRunsPublishesNothing() {
        assertThat(control.handlingRecordOf(MOVES, () -> agent.onTick(trigger("t-moved"))))
                .isEmpty();
        assertThat(registry.counter("loopline.agent.handed-over").count()).isEqualTo(1.0);
    }

    @Test
    void anAttemptThatKeepsItsPartitionPublishesItsResult() {
        assertThat(control.handlingRecordOf(STAYS, () -> agent.onTick(trigger("t-kept"))))
                .get()
                .satisfies(e -> assertThat(e.data()).isInstanceOf(TickCompleted.class));
        assertThat(registry.counter("loopline.agent.handed-over").count()).isZero();
    }

    private static Event trigger(String tickId) {
        LoopSpec spec = LoopSpec.builder(
                        "docs",
                        LoopSpec.Kind.ASSISTED_FIX,
                        LoopSpec.Level.L2,
                        new LoopSpec.Target("/nonexistent", "main"))
                .maker(new LoopSpec.Maker("mock", null, null, List.of(), 5))
                .build();
        return Event.of(
                "test",
                Instant.now(),
                "docs",
                tickId,
                "platform",
                0,
                new TickTriggered(TickTriggered.Trigger.manual("test"), "sha256:spec", spec));
    }

    /**
     * A maker run during which a rebalance moves partition 0 of the ticks topic to another worker (as the consumer's
     * poll thread does, through {@link TickControl#handOver}); the run then ends as an interrupted maker does.
     */
    private final class RebalancedMidMaker extends ProposalService {
        @Override
        public EventData attempt(
                String loopId,
                String tickId,
                LoopSpec spec,
                int attempt,
                long tokensSoFar,
                List<String> reflections,
                List<EarlierAttempt> earlier,
                RunningTick tick) {
            control.handOver(MOVES::equals);
            return new TickCompleted(TickCompleted.Outcome.ERROR, 0, attempt, "maker interrupted", null, null);
        }
    }
}
