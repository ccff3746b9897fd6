package dev.loopline.state.messaging;

import dev.loopline.schemas.events.DeadLetter;
import dev.loopline.schemas.events.EventCodec;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes dead letters, keyed like the message they replace so a loop's dead letters stay in order. */
@ApplicationScoped
public class DeadLetterProducer {

    @Inject
    @Channel(StateChannels.DEAD_LETTERS)
    MutinyEmitter<String> emitter;

    /** Returns once the broker acknowledged the record, so the source message is acknowledged only after. */
    public void publish(DeadLetter deadLetter) {
        Message<String> message = Message.of(EventCodec.encode(deadLetter));
        if (deadLetter.key() != null) {
            message = message.addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(deadLetter.key())
                    .build());
        }
        emitter.sendMessageAndAwait(message);
    }
}
