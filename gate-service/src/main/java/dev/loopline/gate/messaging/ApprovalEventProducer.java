package dev.loopline.gate.messaging;

import dev.loopline.gate.service.ApprovalService;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.events.EventType;
import dev.loopline.support.messaging.KafkaMessages;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Sends the approval outbox's events keyed by loop id, waiting for the broker: re-verification proposals to the
 * guard, everything else to the approvals topic.
 */
@ApplicationScoped
public class ApprovalEventProducer implements ApprovalService.Sender {

    private final MutinyEmitter<String> approvals;
    private final MutinyEmitter<String> proposals;

    public ApprovalEventProducer(
            @Channel(GateChannels.APPROVALS) MutinyEmitter<String> approvals,
            @Channel(GateChannels.PROPOSALS) MutinyEmitter<String> proposals) {
        this.approvals = approvals;
        this.proposals = proposals;
    }

    @Override
    public void send(Event event) {
        MutinyEmitter<String> to = event.eventType() == EventType.CHANGE_PROPOSED ? proposals : approvals;
        to.sendMessageAndAwait(KafkaMessages.keyed(EventCodec.encode(event), event.loopId()));
    }
}
