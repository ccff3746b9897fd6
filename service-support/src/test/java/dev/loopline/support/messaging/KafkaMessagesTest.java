package dev.loopline.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.schemas.events.DeadLetter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

class KafkaMessagesTest {

    private static final Instant AT = Instant.parse("2026-11-21T12:00:00Z");

    @Test
    void aMessageWithoutKafkaMetadataIsDeadLetteredAsFromAnUnknownPlace() {
        DeadLetter letter = KafkaMessages.deadLetter("gate-service", Message.of("{not json"), "not valid JSON", AT);

        assertThat(letter.topic()).isEqualTo("unknown");
        assertThat(letter.partition()).isEqualTo(-1);
        assertThat(letter.offset()).isEqualTo(-1);
        assertThat(letter.key()).isNull();
        assertThat(letter.payload()).isEqualTo("{not json");
        assertThat(letter.reason()).isEqualTo("not valid JSON");
        assertThat(letter.service()).isEqualTo("gate-service");
    }

    @Test
    void aControlRecordIsDeadLetteredWithItsTopicPartitionOffsetAndKey() {
        DeadLetter letter = KafkaMessages.deadLetter(
                "agent-service",
                new ConsumerRecord<>("loopline.control", 0, 42L, "loop:docs", null),
                "not a control record",
                AT);

        assertThat(letter.topic()).isEqualTo("loopline.control");
        assertThat(letter.partition()).isZero();
        assertThat(letter.offset()).isEqualTo(42L);
        assertThat(letter.key()).isEqualTo("loop:docs");
        assertThat(letter.payload()).isEmpty();
        assertThat(letter.time()).isEqualTo(AT);
    }

    @Test
    void anOutgoingRecordIsKeyedOnlyWhenThereIsAKey() {
        Message<String> keyed = KafkaMessages.keyed("{}", "docs");
        Message<String> unkeyed = KafkaMessages.keyed("{}", null);

        assertThat(keyed.getMetadata(OutgoingKafkaRecordMetadata.class))
                .get()
                .extracting(OutgoingKafkaRecordMetadata::getKey)
                .isEqualTo("docs");
        assertThat(unkeyed.getMetadata(OutgoingKafkaRecordMetadata.class)).isEmpty();
        assertThat(keyed.getPayload()).isEqualTo("{}");
    }
}
