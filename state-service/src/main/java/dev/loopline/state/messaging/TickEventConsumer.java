package dev.loopline.state.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.schemas.events.DeadLetter;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.events.InvalidEventException;
import dev.loopline.schemas.json.Json;
import dev.loopline.state.config.StateConfig;
import dev.loopline.state.service.DeadLetterService;
import dev.loopline.state.service.MessageOrigin;
import dev.loopline.state.service.RunLogService;
import dev.loopline.state.service.StoreFailures;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Records every tick event from all tick topics into the run log.
 *
 * <p>Failure handling, by kind:
 *
 * <ul>
 *   <li>Not a valid event (not JSON, schema violation): dead-lettered with the codec's reason, then
 *       acknowledged. It can never succeed, so it must not block the partition.
 *   <li>A store failure that depends on the message (a constraint or data error): dead-lettered too.
 *   <li>A transient store failure (connection lost, pool exhausted, deadlock, serialization failure,
 *       database shutting down): the message did nothing wrong, so it is never dead-lettered. It is retried
 *       here with back-off ({@code loopline.state.store-retry.*}); if the database stays away the exception
 *       propagates, the message is nacked and left uncommitted, the channel fails ({@code
 *       failure-strategy=fail}), health turns DOWN, and after a restart the message is redelivered. Recording
 *       is idempotent, so redelivery is safe.
 * </ul>
 *
 * <p>The transaction is {@link RunLogService#record}'s, not this method's: a failed transaction is rolled
 * back before the dead letter is stored in its own transaction, and the offset is committed only after both.
 */
@ApplicationScoped
public class TickEventConsumer {

    private static final Logger LOG = Logger.getLogger(TickEventConsumer.class);

    @Inject
    RunLogService runLog;

    @Inject
    DeadLetterService deadLetters;

    @Inject
    DeadLetterProducer deadLetterProducer;

    @Inject
    StateConfig config;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry registry;

    @Incoming(StateChannels.TICK_EVENTS)
    @Blocking
    public void consume(String payload, IncomingKafkaRecordMetadata<String, String> metadata) {
        MessageOrigin origin = new MessageOrigin(
                metadata.getTopic(), metadata.getPartition(), metadata.getOffset(), metadata.getKey());
        Event event;
        String dataJson;
        try {
            event = EventCodec.decode(payload);
            dataJson = rawData(payload);
        } catch (InvalidEventException e) {
            deadLetter(origin, payload, e.getMessage());
            return;
        }
        try {
            boolean recorded = recordWithRetry(event, dataJson, origin);
            registry.counter(
                            "loopline.state.events",
                            "type",
                            event.type(),
                            "result",
                            recorded ? "recorded" : "duplicate")
                    .increment();
        } catch (RuntimeException e) {
            if (StoreFailures.isTransient(e)) {
                LOG.errorf(
                        "Store unavailable, leaving %s-%d@%d unacknowledged for redelivery: %s",
                        origin.topic(), origin.partition(), origin.offset(), rootMessage(e));
                throw e;
            }
            deadLetter(origin, payload, "cannot record " + event.type() + " " + event.id() + ": " + rootMessage(e));
        }
    }

    private boolean recordWithRetry(Event event, String dataJson, MessageOrigin origin) {
        StateConfig.StoreRetry retry = config.storeRetry();
        Duration backoff = retry.initialBackoff();
        for (int attempt = 1; ; attempt++) {
            try {
                return runLog.record(event, dataJson, origin);
            } catch (RuntimeException e) {
                if (attempt >= retry.maxAttempts() || !StoreFailures.isTransient(e)) {
                    throw e;
                }
                LOG.warnf("Transient store failure (attempt %d), retrying in %s: %s", attempt, backoff, rootMessage(e));
                pause(backoff);
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    private void deadLetter(MessageOrigin origin, String payload, String reason) {
        DeadLetter deadLetter = new DeadLetter(
                config.serviceName(),
                origin.topic(),
                origin.partition(),
                origin.offset(),
                origin.key(),
                reason,
                payload == null ? "" : payload,
                clock.instant());
        LOG.warnf("Dead-lettering %s-%d@%d: %s", origin.topic(), origin.partition(), origin.offset(), reason);
        deadLetters.record(deadLetter);
        deadLetterProducer.publish(deadLetter);
        registry.counter("loopline.state.dead.letters", "topic", origin.topic()).increment();
    }

    /** The {@code data} member verbatim (already validated by the codec), so fields newer than us survive. */
    private static String rawData(String payload) throws InvalidEventException {
        try {
            JsonNode data = Json.mapper().readTree(payload).get("data");
            return Json.mapper().writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("not valid JSON", java.util.List.of(e.getOriginalMessage()));
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry the store", e);
        }
    }
}
