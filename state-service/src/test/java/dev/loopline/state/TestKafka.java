package dev.loopline.state;

import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.state.common.StateChannels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Plain Kafka clients against the broker the application uses. Topic names come from the application's
 * own configuration, so they are written down in one place only.
 */
public final class TestKafka {

    private TestKafka() {}

    public static String bootstrapServers() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    /** The tick topics in tick order: ticks, proposals, verdicts, decisions, completions. */
    public static List<String> tickTopics() {
        String topics = ConfigProvider.getConfig()
                .getValue("mp.messaging.incoming." + StateChannels.TICK_EVENTS + ".topics", String.class);
        return Arrays.stream(topics.split(",")).map(String::strip).toList();
    }

    public static String deadLetterTopic() {
        return ConfigProvider.getConfig()
                .getValue("mp.messaging.outgoing." + StateChannels.DEAD_LETTERS + ".topic", String.class);
    }

    /** The topic a service publishes this event type to. */
    public static String topicOf(Event event) {
        return tickTopics().get(event.eventType().ordinal());
    }

    /** Sends each event to its topic, keyed by loop id, and waits for the broker's acknowledgement. */
    public static void send(List<Event> events) {
        try (KafkaProducer<String, String> producer = producer()) {
            for (Event event : events) {
                producer.send(new ProducerRecord<>(topicOf(event), event.loopId(), EventCodec.encode(event)))
                        .get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("send failed", e);
        }
    }

    public static void send(Event event) {
        send(List.of(event));
    }

    /** Sends an arbitrary (possibly broken) payload. */
    public static void sendRaw(String topic, String key, String payload) {
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, key, payload)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("send failed", e);
        }
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /** A consumer of one topic from its beginning, in a group of its own. */
    public static final class TopicReader implements AutoCloseable {

        private final KafkaConsumer<String, String> consumer;
        private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

        public TopicReader(String topic) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
            consumer.subscribe(List.of(topic));
        }

        /** Everything read so far, after one more poll. */
        public List<ConsumerRecord<String, String>> poll() {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            return List.copyOf(seen);
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
