package dev.loopline.agent.messaging;

import dev.loopline.agent.service.RecordPartition;
import dev.loopline.agent.service.TickControl;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A tick attempt runs on one worker at a time. Its record is acknowledged only when the attempt ends, so when a
 * rebalance gives the record's partition to another worker (a worker joined or left, or this one missed its session
 * timeout), that worker reads the record again and runs the attempt itself. This listener then stops the run here:
 * its maker's processes are killed and its result is not published ({@link TickControl#handOver}). Checked after
 * every assignment, which covers both protocols: an eager rebalance revokes every partition and assigns some back,
 * a cooperative one revokes only those that move; a lost membership hands over at once.
 */
@ApplicationScoped
@Identifier(AgentRebalance.NAME)
public class AgentRebalance implements KafkaConsumerRebalanceListener {

    /** The name {@code consumer-rebalance-listener.name} gives the agent's input channels. */
    public static final String NAME = "agent-rebalance";

    @Inject
    TickControl control;

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        handOverAllBut(consumer.subscription(), consumer.assignment());
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Set<RecordPartition> lost = partitions.stream().map(AgentRebalance::of).collect(Collectors.toSet());
        control.handOver(lost::contains);
    }

    /** Hands over the attempts of {@code topics} whose partition is not among {@code held}. */
    void handOverAllBut(Set<String> topics, Set<TopicPartition> held) {
        Set<RecordPartition> kept = held.stream().map(AgentRebalance::of).collect(Collectors.toSet());
        control.handOver(p -> topics.contains(p.topic()) && !kept.contains(p));
    }

    private static RecordPartition of(TopicPartition tp) {
        return new RecordPartition(tp.topic(), tp.partition());
    }
}
