package dev.loopline.gate.messaging;

import dev.loopline.schemas.events.DeadLetter;
import dev.loopline.schemas.events.EventCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/** Sends a message the gate cannot read or handle to the dead-letter topic, with where it came from and why. */
@ApplicationScoped
public class DeadLetterProducer {

    static final String SERVICE = "gate-service";
    private static final Logger LOG = Logger.getLogger(DeadLetterProducer.class);

    private final MutinyEmitter<String> emitter;
    private final Clock clock;
    private final MeterRegistry registry;

    public DeadLetterProducer(
            @Channel(GateChannels.DEAD_LETTERS) MutinyEmitter<String> emitter, Clock clock, MeterRegistry registry) {
        this.emitter = emitter;
        this.clock = clock;
        this.registry = registry;
    }

    /** Sends without waiting: for the control reader, which must never block on the broker. */
    public void sendLater(DeadLetter letter) {
        LOG.warnf("dead-lettering %s-%d@%d: %s", letter.topic(), letter.partition(), letter.offset(), letter.reason());
        OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<String> out =
                OutgoingKafkaRecordMetadata.builder();
        if (letter.key() != null) {
            out.withKey(letter.key());
        }
        emitter.sendMessage(Message.of(EventCodec.encode(letter)).addMetadata(out.build()))
                .subscribe()
                .with(ok -> {}, failure -> LOG.warnf("could not dead-letter %s: %s", letter.key(), failure));
        registry.counter("loopline.gate.dead.letters", "topic", letter.topic()).increment();
    }

    public void send(Message<String> message, String reason) {
        IncomingKafkaRecordMetadata<?, ?> meta =
                message.getMetadata(IncomingKafkaRecordMetadata.class).orElse(null);
        String topic = meta == null ? "unknown" : meta.getTopic();
        int partition = meta == null ? -1 : meta.getPartition();
        long offset = meta == null ? -1 : meta.getOffset();
        String key =
                meta == null || meta.getKey() == null ? null : meta.getKey().toString();
        LOG.warnf("dead-lettering %s-%d@%d: %s", topic, partition, offset, reason);
        DeadLetter letter =
                new DeadLetter(SERVICE, topic, partition, offset, key, reason, message.getPayload(), clock.instant());
        OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<String> out =
                OutgoingKafkaRecordMetadata.builder();
        if (key != null) {
            out.withKey(key);
        }
        emitter.sendMessageAndAwait(Message.of(EventCodec.encode(letter)).addMetadata(out.build()));
        registry.counter("loopline.gate.dead.letters", "topic", topic).increment();
    }
}
