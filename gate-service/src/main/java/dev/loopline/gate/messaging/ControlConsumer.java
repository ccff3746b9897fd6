package dev.loopline.gate.messaging;

import dev.loopline.gate.config.GateConfig;
import dev.loopline.gate.service.GateControl;
import dev.loopline.support.control.ControlTopicReader;
import dev.loopline.support.messaging.KafkaMessages;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Feeds {@link GateControl} from the compacted control topic through service-support's {@link ControlTopicReader} (a
 * broadcast read, no consumer group: ADR 0006); invalid records go to the dead-letter topic without the reader
 * waiting for the broker.
 */
@ApplicationScoped
public class ControlConsumer {

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @Inject
    GateConfig config;

    @Inject
    GateControl control;

    @Inject
    DeadLetterProducer deadLetters;

    Clock clock = Clock.systemUTC();

    private ControlTopicReader reader;

    void start(@Observes StartupEvent started) {
        reader = new ControlTopicReader(
                kafka,
                config.controlTopic(),
                "gate-service",
                "verdicts",
                ControlTopicReader.Sink.into(control.state(), this::deadLetter));
        reader.start();
    }

    private void deadLetter(ConsumerRecord<String, String> record, String reason) {
        deadLetters.sendLater(KafkaMessages.deadLetter(DeadLetterProducer.SERVICE, record, reason, clock.instant()));
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (reader != null) {
            reader.stop();
        }
    }
}
