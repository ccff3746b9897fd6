package dev.loopline.state.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.loopline.schemas.json.Json;
import dev.loopline.state.service.BudgetAlert;
import dev.loopline.state.service.ControlState;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes kill-switch states to the compacted control topic, keyed {@code kind:id}: compaction keeps the
 * latest state of every scope, so a service that starts reads the current switches from the beginning.
 */
@ApplicationScoped
public class ControlProducer {

    @Inject
    @Channel(StateChannels.CONTROL)
    MutinyEmitter<String> emitter;

    /** Returns once the broker acknowledged the record. */
    public void publish(ControlState state) {
        send(state.key(), state);
    }

    /** A budget threshold crossing, keyed {@code budget:<kind>:<id>}; returns once the broker acknowledged it. */
    public void publish(BudgetAlert alert) {
        send(alert.key(), alert);
    }

    private void send(String key, Object value) {
        String json;
        try {
            json = Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode control record", e);
        }
        emitter.sendMessageAndAwait(Message.of(json)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(key)
                        .build()));
    }
}
