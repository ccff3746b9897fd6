package dev.loopline.agent.messaging;

import dev.loopline.agent.service.AgentService;
import dev.loopline.schemas.events.DeadLetter;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.events.EventType;
import dev.loopline.schemas.events.InvalidEventException;
import dev.loopline.support.messaging.KafkaMessages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The common path of every incoming record: decode and validate, check the event type, handle, publish
 * the result, acknowledge. A poison record (invalid or of the wrong type) becomes a dead letter and is
 * acknowledged, so it never blocks its partition. A valid event whose handling fails unexpectedly ends its
 * tick with {@code TickCompleted(error)} and the reason (a dead letter would leave the tick open forever).
 * Only a failure to publish — the broker is unreachable — is not acknowledged; the record is then
 * redelivered.
 */
@ApplicationScoped
public class InboundHandler {

    private static final Logger LOG = Logger.getLogger(InboundHandler.class);
    static final String SERVICE = "agent-service";

    @Inject
    EventProducer producer;

    @Inject
    AgentService agent;

    Clock clock = Clock.systemUTC();

    public CompletionStage<Void> handle(
            Message<String> message, EventType expected, Function<Event, Optional<Event>> handler) {
        String payload = message.getPayload();
        Event event;
        try {
            event = EventCodec.decode(payload);
            if (event.eventType() != expected) {
                throw new InvalidEventException(
                        "expected " + expected.wireName() + " but got " + event.type(), java.util.List.of());
            }
        } catch (InvalidEventException e) {
            deadLetter(message, e.getMessage());
            return message.ack();
        }
        Optional<Event> output;
        try {
            output = handler.apply(event);
        } catch (RuntimeException e) {
            LOG.errorf(e, "handling %s of tick %s failed; the tick ends with an error", event.type(), event.tickId());
            output = Optional.of(agent.failed(event, e));
        }
        output.ifPresent(producer::publish);
        return message.ack();
    }

    private void deadLetter(Message<String> message, String reason) {
        DeadLetter letter = KafkaMessages.deadLetter(SERVICE, message, reason, clock.instant());
        LOG.warnf("dead letter from %s[%d]@%d: %s", letter.topic(), letter.partition(), letter.offset(), reason);
        producer.publish(letter);
    }
}
