package dev.loopline.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.schemas.events.DeadLetter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.time.Instant;
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
