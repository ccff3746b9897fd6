package dev.loopline.gate.messaging;

import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.support.messaging.KafkaMessages;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes ChangeDecided events keyed by loop id, waiting for the broker's acknowledgement. */
@ApplicationScoped
public class DecisionProducer {

    private final MutinyEmitter<String> emitter;

    public DecisionProducer(@Channel(GateChannels.DECISIONS) MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    public void send(Event decided) {
        emitter.sendMessageAndAwait(KafkaMessages.keyed(EventCodec.encode(decided), decided.loopId()));
    }
}
