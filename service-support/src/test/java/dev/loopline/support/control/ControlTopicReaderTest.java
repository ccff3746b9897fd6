package dev.loopline.support.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loopline.core.control.Admission;
import dev.loopline.schemas.control.ControlCodec;
import dev.loopline.schemas.control.ControlScope;
import dev.loopline.schemas.control.KillSwitch;
import dev.loopline.testsupport.KafkaBroker;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The reader on a real broker of its own: it catches up, stays fresh while it reads, and goes stale when cut off. */
class ControlTopicReaderTest {

    private static final String TOPIC = "loopline.control";
    private static final Duration STALE_AFTER = Duration.ofSeconds(4);

    @Test
    void aReaderThatLosesTheBrokerAfterCatchingUpStopsAdmittingOnceTheBoundPasses() throws Exception {
        KafkaBroker broker = KafkaBroker.startTemporary();
        ControlTopicReader reader = null;
        try {
            broker.createTopics(1, TOPIC);
            KillSwitch kill = new KillSwitch(
                    ControlScope.TEAM,
                    "ops",
                    KillSwitch.State.KILLED,
                    "incident",
                    "alice",
                    Clock.systemUTC().instant());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                    new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>(TOPIC, kill.key(), ControlCodec.encode(kill)))
                        .get(30, TimeUnit.SECONDS);
            }
            ControlState state = new ControlState(Clock.systemUTC(), () -> {}, STALE_AFTER);
            reader = new ControlTopicReader(
                    Map.of("bootstrap.servers", broker.bootstrapServers(), "default.api.timeout.ms", 3000),
                    TOPIC,
                    "test",
                    "ticks",
                    ControlTopicReader.Sink.into(state, (record, reason) -> {}));
            reader.start();

            await().atMost(Duration.ofSeconds(30)).until(state::fresh);
            assertThat(state.admission("report", "ops", Duration.ZERO)).get().isInstanceOf(Admission.Halt.class);
            // fresh throughout, well past the bound, while the broker answers: the reader keeps checking the ends
            await().during(STALE_AFTER.plusSeconds(2))
                    .atMost(STALE_AFTER.plusSeconds(5))
                    .until(state::fresh);

            broker.stop();

            await().atMost(Duration.ofSeconds(30)).until(() -> !state.fresh());
            assertThat(state.admission("report", "platform", Duration.ZERO))
                    .as("no answer on a stale board, not even for a team nothing halts")
                    .isEmpty();
            assertThat(state.whyUnknown(Duration.ofSeconds(1)))
                    .startsWith("the control topic reader has not been in sync with the topic for ")
                    .endsWith("(bound 4s), so kill switches and budget halts may be stale");
        } finally {
            if (reader != null) {
                reader.stop();
            }
            broker.stop();
        }
    }
}
