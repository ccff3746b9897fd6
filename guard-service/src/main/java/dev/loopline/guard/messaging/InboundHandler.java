package dev.loopline.guard.messaging;

import dev.loopline.guard.service.GuardService;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The guard's side of {@link Inbound}, the path every consumed record takes: a record that is not a valid proposal
 * is dead-lettered; a proposal whose verification throws (a worktree that cannot be created, a mirror that cannot be
 * fetched) is retried, then answered with verdict {@code error}, so its tick ends instead of staying open.
 */
@ApplicationScoped
public class InboundHandler {

    static final String SERVICE = GuardService.SOURCE;

    @Inject
    EventProducer producer;

    @Inject
    GuardService guard;

    /** How often a failing handler runs in all before the tick ends with an error. */
    @ConfigProperty(name = "loopline.inbound.attempts", defaultValue = "3")
    int attempts;

    /** The pause after the first failure; it doubles after each further one. */
    @ConfigProperty(name = "loopline.inbound.first-backoff", defaultValue = "1s")
    Duration firstBackoff;

    private Inbound inbound;

    @PostConstruct
    void init() {
        inbound = new Inbound(SERVICE, producer, Inbound.FailurePolicy.endTick(attempts, firstBackoff, guard::failed));
    }

    public CompletionStage<Void> handle(
            Message<String> message, EventType expected, Function<Event, Optional<Event>> handler) {
        return inbound.handle(message, expected, handler);
    }
}
