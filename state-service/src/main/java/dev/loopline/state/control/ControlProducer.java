package dev.loopline.state.control;

import dev.loopline.schemas.control.ControlCodec;
import dev.loopline.schemas.control.ControlRecord;
import dev.loopline.state.common.StateChannels;
import dev.loopline.support.messaging.KafkaMessages;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes control records (kill switches keyed {@code <scope>:<id>}, budget alerts keyed {@code
 * budget:<kind>:<id>}) to the compacted control topic: compaction keeps the latest record of every key, so a
 * service that starts reads the current switches from the beginning. The contract lives in schemas ({@code
 * dev.loopline.schemas.control}).
 */
@ApplicationScoped
public class ControlProducer {

    @Inject
    @Channel(StateChannels.CONTROL)
    MutinyEmitter<String> emitter;

    /** Returns once the broker acknowledged the record. */
    public void publish(ControlRecord record) {
        emitter.sendMessageAndAwait(KafkaMessages.keyed(ControlCodec.encode(record), record.key()));
    }
}
