package dev.loopline.guard.messaging;

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
 * the result, acknowledge. A poison record (invalid, wrong type, or failing in the handler) becomes a
 * dead letter and is acknowledged, so it never blocks its partition. Only a failure to publish — the
 * broker is unreachable — is not acknowledged; the record is then redelivered.
 */
@ApplicationScoped
public class InboundHandler {

    private static final Logger LOG = Logger.getLogger(InboundHandler.class);
    static final String SERVICE = "guard-service";

    @Inject
    EventProducer producer;

    Clock clock = Clock.systemUTC();

    public CompletionStage<Void> handle(
            Message<String> message, EventType expected, Function<Event, Optional<Event>> handler) {
        String payload = message.getPayload();
        Optional<Event> output;
        try {
            Event event = EventCodec.decode(payload);
            if (event.eventType() != expected) {
                throw new InvalidEventException(
                        "expected " + expected.wireName() + " but got " + event.type(), java.util.List.of());
            }
            output = handler.apply(event);
        } catch (InvalidEventException e) {
            deadLetter(message, e.getMessage());
            return message.ack();
        } catch (RuntimeException e) {
            LOG.errorf(e, "handling a record of %s failed; dead-lettered", expected.wireName());
            deadLetter(message, "handler failed: " + e);
            return message.ack();
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
