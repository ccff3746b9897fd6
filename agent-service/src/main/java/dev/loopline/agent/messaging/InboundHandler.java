package dev.loopline.agent.messaging;

import dev.loopline.agent.service.AgentService;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventType;
import dev.loopline.support.messaging.Inbound;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The agent's side of {@link Inbound}, the path every consumed record takes: a record that is not a valid event of
 * the expected type is dead-lettered; a valid event whose handling throws ends its tick with
 * {@code TickCompleted(error)} and the reason (a dead letter would leave the tick open forever). The agent does not
 * retry a failed handler: it may have run a maker already, and a maker run costs tokens.
 */
@ApplicationScoped
public class InboundHandler {

    static final String SERVICE = AgentService.SOURCE;

    @Inject
    EventProducer producer;

    @Inject
    AgentService agent;

    private Inbound inbound;

    @PostConstruct
    void init() {
        inbound = new Inbound(SERVICE, producer, Inbound.FailurePolicy.endTick(1, Duration.ZERO, agent::failed));
    }

    public CompletionStage<Void> handle(
            Message<String> message, EventType expected, Function<Event, Optional<Event>> handler) {
        return inbound.handle(message, expected, handler);
    }
}
