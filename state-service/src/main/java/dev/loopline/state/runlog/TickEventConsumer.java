package dev.loopline.state.runlog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.loopline.schemas.events.DeadLetter;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.events.InvalidEventException;
import dev.loopline.schemas.json.Json;
import dev.loopline.state.common.StateChannels;
import dev.loopline.state.common.StateConfig;
import dev.loopline.support.messaging.KafkaMessages;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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
 * <p>Records arrive a poll at a time ({@code batch=true}) and a whole batch is one transaction ({@link
 * RunLogService#recordAll}): a handful of statements per batch instead of several per event. The transaction is the
 * service's, not this method's: a failed transaction is rolled back before any dead letter is stored in its own
 * transaction, and the offsets are committed only after the method returned.
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

    /** {@code loopline.state.events} by type and result, looked up once rather than per event. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /**
     * One poll's records at a time (the channel is consumed in batches): invalid records are dead-lettered first,
     * then every valid one is recorded in one transaction. When that transaction fails for a reason that is not
     * transient, some record in the batch is poison; the batch is then recorded one event per transaction, so only
     * that record is dead-lettered and the others are kept. The batch is acknowledged when the method returns.
     */
    @Incoming(StateChannels.TICK_EVENTS)
    @Blocking
    public void consume(ConsumerRecords<String, String> records) {
        List<Decoded> valid = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            MessageOrigin origin = new MessageOrigin(record.topic(), record.partition(), record.offset(), record.key());
            String payload = record.value();
            try {
                Event event = EventCodec.decode(payload);
                valid.add(new Decoded(new IncomingEvent(event, rawData(payload), origin), payload));
            } catch (InvalidEventException e) {
                deadLetter(origin, payload, e.getMessage());
            }
        }
        if (valid.isEmpty()) {
            return;
        }
        List<IncomingEvent> batch = valid.stream().map(Decoded::incoming).toList();
        List<IncomingEvent> recorded;
        try {
            recorded = withRetry(() -> runLog.recordAll(batch), batch.get(0).origin());
        } catch (RuntimeException e) {
            if (StoreFailures.isTransient(e)) {
                throw e;
            }
            LOG.warnf(
                    "Batch of %d events failed (%s); recording them one by one to isolate the cause",
                    batch.size(), rootMessage(e));
            valid.forEach(this::consumeOne);
            return;
        }
        Set<IncomingEvent> fresh = Collections.newSetFromMap(new IdentityHashMap<>());
        fresh.addAll(recorded);
        for (IncomingEvent incoming : batch) {
            count(incoming.event(), fresh.contains(incoming));
        }
    }

    /** One event in its own transaction: recorded, or dead-lettered when the store refuses this event. */
    private void consumeOne(Decoded decoded) {
        IncomingEvent incoming = decoded.incoming();
        Event event = incoming.event();
        MessageOrigin origin = incoming.origin();
        try {
            boolean recorded = withRetry(() -> runLog.record(event, incoming.dataJson(), origin), origin);
            count(event, recorded);
        } catch (RuntimeException e) {
            if (StoreFailures.isTransient(e)) {
                throw e;
            }
            deadLetter(
                    origin,
                    decoded.payload(),
                    "cannot record " + event.type() + " " + event.id() + ": " + rootMessage(e));
        }
    }

    private void count(Event event, boolean recorded) {
        String result = recorded ? "recorded" : "duplicate";
        counters.computeIfAbsent(
                        event.type() + '/' + result,
                        k -> registry.counter("loopline.state.events", "type", event.type(), "result", result))
                .increment();
    }

    /**
     * Runs a store call, retrying transient failures with back-off; a failure that outlasts the retries is logged
     * and rethrown, so the batch is nacked and left uncommitted for redelivery.
     */
    private <T> T withRetry(Supplier<T> store, MessageOrigin origin) {
        StateConfig.StoreRetry retry = config.storeRetry();
        Duration backoff = retry.initialBackoff();
        for (int attempt = 1; ; attempt++) {
            try {
                return store.get();
            } catch (RuntimeException e) {
                if (!StoreFailures.isTransient(e)) {
                    throw e;
                }
                if (attempt >= retry.maxAttempts()) {
                    LOG.errorf(
                            "Store unavailable, leaving %s-%d@%d unacknowledged for redelivery: %s",
                            origin.topic(), origin.partition(), origin.offset(), rootMessage(e));
                    throw e;
                }
                LOG.warnf("Transient store failure (attempt %d), retrying in %s: %s", attempt, backoff, rootMessage(e));
                pause(backoff);
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    /** A valid record: what is stored, and the payload as received (for a dead letter). */
    private record Decoded(IncomingEvent incoming, String payload) {}

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
        KafkaMessages.countDeadLetter(registry, deadLetter);
    }

    /**
     * The {@code data} member verbatim (already validated by the codec), so fields newer than us survive: its text cut
     * out of the payload by a streaming scan (no second tree, no re-serialisation). The codec reads a repeated member's
     * last value, and so does this.
     */
    static String rawData(String payload) throws InvalidEventException {
        try (JsonParser parser = Json.mapper().getFactory().createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidEventException("an event must be a JSON object", List.of());
            }
            String data = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean isData = "data".equals(parser.currentName());
                JsonToken value = parser.nextToken();
                int start = (int) parser.currentTokenLocation().getCharOffset();
                parser.skipChildren();
                if (isData) {
                    if (value != JsonToken.START_OBJECT) {
                        throw new InvalidEventException("an event's data must be a JSON object", List.of());
                    }
                    int end = (int) parser.currentTokenLocation().getCharOffset() + 1;
                    data = payload.substring(start, end);
                }
            }
            if (data == null) {
                throw new InvalidEventException("an event must have data", List.of());
            }
            return data;
        } catch (IOException e) {
            throw new InvalidEventException("not valid JSON", List.of(e.getMessage()));
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
