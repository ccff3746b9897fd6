package dev.loopline.gate.messaging;

import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes ChangeDecided events keyed by loop id, waiting for the broker's acknowledgement. */
@ApplicationScoped
public class DecisionProducer {

    private final MutinyEmitter<String> emitter;

    public DecisionProducer(@Channel(GateChannels.DECISIONS) MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    public void send(Event decided) {
        emitter.sendMessageAndAwait(Message.of(EventCodec.encode(decided))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(decided.loopId())
                        .build()));
    }
}
