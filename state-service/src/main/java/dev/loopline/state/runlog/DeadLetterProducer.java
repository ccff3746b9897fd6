package dev.loopline.state.runlog;

import dev.loopline.schemas.events.DeadLetter;
import dev.loopline.state.common.StateChannels;
import dev.loopline.support.messaging.KafkaMessages;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes dead letters, keyed like the message they replace so a loop's dead letters stay in order. */
@ApplicationScoped
public class DeadLetterProducer {

    @Inject
    @Channel(StateChannels.DEAD_LETTERS)
    MutinyEmitter<String> emitter;

    /** Returns once the broker acknowledged the record, so the source message is acknowledged only after. */
    public void publish(DeadLetter deadLetter) {
        emitter.sendMessageAndAwait(KafkaMessages.outgoing(deadLetter));
    }
}
