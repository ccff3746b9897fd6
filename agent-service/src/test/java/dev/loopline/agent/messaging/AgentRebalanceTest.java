package dev.loopline.agent.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.agent.service.BlockedMaker;
import dev.loopline.agent.service.RecordPartition;
import dev.loopline.agent.service.RunningTick;
import dev.loopline.agent.service.TestAgentConfig;
import dev.loopline.agent.service.TickControl;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tick attempt whose record's partition a rebalance gives to another worker is stopped here (that it then publishes
 * nothing is {@code AgentServiceHandOverTest}'s); attempts on partitions this worker keeps, of other topics, or not
 * read from Kafka run on. The consumer is Kafka's own
 * {@link MockConsumer}, whose assignment is what the listener reads after a rebalance.
 */
class AgentRebalanceTest {

    private static final String TICKS = "loopline.ticks";
    private static final String VERDICTS = "loopline.verdicts";

    private TickControl control;
    private AgentRebalance rebalance;

    @BeforeEach
    void setUp() {
        control = TestAgentConfig.tickControl();
        control.state().markCaughtUp();
        rebalance = new AgentRebalance();
        rebalance.control = control;
    }

    @Test
    void afterAnAssignmentTheAttemptsOfPartitionsThatMovedAreHandedOverAndTheirMakerInterrupted() throws Exception {
        RunningTick moved = start(TICKS, 0, "t-moved");
        RunningTick kept = start(TICKS, 1, "t-kept");
        RunningTick verdict = start(VERDICTS, 0, "t-verdict");
        RunningTick local = control.start("docs", "platform", "t-local");
        BlockedMaker maker = BlockedMaker.startIn(moved);

        MockConsumer<String, String> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        consumer.subscribe(List.of(TICKS));
        consumer.rebalance(List.of(new TopicPartition(TICKS, 1), new TopicPartition(TICKS, 2)));
        rebalance.onPartitionsAssigned(consumer, consumer.assignment());

        assertThat(maker.interruptedWithin(10)).isTrue();
        assertThat(moved.handedOver()).isTrue();
        assertThat(moved.haltReason())
                .contains("partition loopline.ticks-0 moved to another worker during a rebalance");
        // the ticks consumer's assignment says nothing about the verdicts topic, and a tick not read from Kafka
        // belongs to no partition
        assertThat(List.of(kept, verdict, local)).allSatisfy(t -> {
            assertThat(t.handedOver()).isFalse();
            assertThat(t.halted()).isEmpty();
        });
        List.of(moved, kept, verdict, local).forEach(RunningTick::close);
    }

    @Test
    void anEagerRebalanceThatAssignsThePartitionBackHandsNothingOver() {
        RunningTick tick = start(TICKS, 2, "t-1");
        MockConsumer<String, String> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        consumer.subscribe(List.of(TICKS));
        consumer.rebalance(List.of(new TopicPartition(TICKS, 0), new TopicPartition(TICKS, 2)));

        rebalance.onPartitionsRevoked(consumer, consumer.assignment());
        rebalance.onPartitionsAssigned(consumer, consumer.assignment());

        assertThat(tick.handedOver()).isFalse();
        tick.close();
    }

    @Test
    void aLostMembershipHandsOverAtOnce() {
        RunningTick lost = start(VERDICTS, 1, "t-lost");
        RunningTick other = start(VERDICTS, 2, "t-other");

        rebalance.onPartitionsLost(
                new MockConsumer<String, String>(OffsetResetStrategy.EARLIEST),
                Set.of(new TopicPartition(VERDICTS, 1)));

        assertThat(lost.handedOver()).isTrue();
        assertThat(other.handedOver()).isFalse();
        lost.close();
        other.close();
    }

    private RunningTick start(String topic, int partition, String tickId) {
        return control.handlingRecordOf(
                new RecordPartition(topic, partition), () -> control.start("docs", "platform", tickId));
    }
}
