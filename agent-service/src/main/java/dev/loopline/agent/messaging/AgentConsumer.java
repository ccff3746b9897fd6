package dev.loopline.agent.messaging;

import dev.loopline.agent.service.AgentService;
import dev.loopline.agent.service.RecordPartition;
import dev.loopline.agent.service.TickControl;
import dev.loopline.schemas.events.EventType;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The agent's three inputs. Handlers run git and makers, so they block (ordered, one record at a time). Every record
 * passes the {@link ConsumerDrain}: once the agent is stopping, nothing new is taken. The tick attempts a record
 * starts belong to its partition ({@link TickControl#handlingRecordOf}): {@link AgentRebalance} stops them when a
 * rebalance gives the partition to another worker.
 */
@ApplicationScoped
public class AgentConsumer {

    @Inject
    InboundHandler inbound;

    @Inject
    AgentService agent;

    @Inject
    ConsumerDrain drain;

    @Inject
    TickControl control;

    @Incoming(AgentChannels.TICKS)
    @Blocking
    public CompletionStage<Void> onTick(Message<String> message) {
        return drain.handle(() -> control.handlingRecordOf(
                partitionOf(message), () -> inbound.handle(message, EventType.TICK_TRIGGERED, agent::onTick)));
    }

    @Incoming(AgentChannels.VERDICTS)
    @Blocking
    public CompletionStage<Void> onVerdict(Message<String> message) {
        return drain.handle(() -> control.handlingRecordOf(
                partitionOf(message), () -> inbound.handle(message, EventType.CHANGE_VERIFIED, agent::onVerdict)));
    }

    @Incoming(AgentChannels.DECISIONS)
    @Blocking
    public CompletionStage<Void> onDecision(Message<String> message) {
        return drain.handle(() -> control.handlingRecordOf(
                partitionOf(message), () -> inbound.handle(message, EventType.CHANGE_DECIDED, agent::onDecision)));
    }

    /** Where the record was read from, so that a rebalance that moves its partition stops its attempt here. */
    static RecordPartition partitionOf(Message<String> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> new RecordPartition(m.getTopic(), m.getPartition()))
                .orElse(null);
    }
}
