package dev.loopline.state.runlog;

import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.state.common.StateChannels;
import dev.loopline.support.messaging.KafkaMessages;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes the completion of a tick the deadline sweep ends, keyed by loop id like every tick event. */
@ApplicationScoped
public class CompletionProducer {

    @Inject
    @Channel(StateChannels.COMPLETIONS)
    MutinyEmitter<String> emitter;

    /** Returns once the broker acknowledged the record. */
    public void publish(Event completion) {
        if (!(completion.data() instanceof TickCompleted)) {
            throw new IllegalArgumentException("not a completion: " + completion.type());
        }
        emitter.sendMessageAndAwait(KafkaMessages.keyed(EventCodec.encode(completion), completion.loopId()));
    }
}
