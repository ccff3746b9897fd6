package dev.loopline.support.messaging;

import dev.loopline.schemas.events.DeadLetter;
import dev.loopline.schemas.events.EventCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The Kafka message plumbing every service repeats: where a consumed message came from, the dead letter that replaces
 * it, and an outgoing record keyed like the message it is about (so a loop's records stay in order on one
 * partition).
 */
public final class KafkaMessages {

    private KafkaMessages() {}

    /** Where a consumed message came from; {@code unknown}, -1 and no key when it carries no Kafka metadata. */
    public record Origin(String topic, int partition, long offset, String key) {

        public static Origin of(Message<?> message) {
            return message.getMetadata(IncomingKafkaRecordMetadata.class)
                    .map(meta -> new Origin(
                            meta.getTopic(),
                            meta.getPartition(),
                            meta.getOffset(),
                            meta.getKey() == null ? null : String.valueOf(meta.getKey())))
                    .orElseGet(() -> new Origin("unknown", -1, -1, null));
        }

        @Override
        public String toString() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    /** The dead letter that stands for {@code message}, which {@code service} could not handle because of {@code reason}. */
    public static DeadLetter deadLetter(String service, Message<String> message, String reason, Instant at) {
        Origin origin = Origin.of(message);
        return new DeadLetter(
                service,
                origin.topic(),
                origin.partition(),
                origin.offset(),
                origin.key(),
                reason,
                message.getPayload() == null ? "" : message.getPayload(),
                at);
    }

    /** The dead letter for a record read with a plain Kafka consumer (the control-topic reader). */
    public static DeadLetter deadLetter(
            String service, ConsumerRecord<String, String> record, String reason, Instant at) {
        return new DeadLetter(
                service,
                record.topic(),
                record.partition(),
                record.offset(),
                record.key(),
                reason,
                record.value() == null ? "" : record.value(),
                at);
    }

    /** Name of the one dead-letter counter every service keeps, tagged {@code service} and {@code topic}. */
    public static final String DEAD_LETTER_METRIC = "loopline.dead_letters";

    /** Counts {@code letter} on {@link #DEAD_LETTER_METRIC} (Prometheus: {@code loopline_dead_letters_total}). */
    public static void countDeadLetter(MeterRegistry registry, DeadLetter letter) {
        registry.counter(DEAD_LETTER_METRIC, "service", letter.service(), "topic", String.valueOf(letter.topic()))
                .increment();
    }

    /** A dead letter as an outgoing record, keyed like the message it replaces. */
    public static Message<String> outgoing(DeadLetter letter) {
        return keyed(EventCodec.encode(letter), letter.key());
    }

    /** An outgoing record with {@code key} (none when null). */
    public static Message<String> keyed(String payload, String key) {
        Message<String> message = Message.of(payload);
        return key == null
                ? message
                : message.addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(key)
                        .build());
    }
}
