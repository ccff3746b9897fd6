package dev.loopline.guard.messaging;

import dev.loopline.guard.service.GuardService;
import dev.loopline.schemas.events.EventType;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Verifies each proposal; git and the test command block, one record at a time in order. */
@ApplicationScoped
public class ProposalConsumer {

    @Inject
    InboundHandler inbound;

    @Inject
    GuardService guard;

    @Incoming(GuardChannels.PROPOSALS)
    @Blocking
    public CompletionStage<Void> onProposal(Message<String> message) {
        return inbound.handle(message, EventType.CHANGE_PROPOSED, guard::onProposal);
    }
}
