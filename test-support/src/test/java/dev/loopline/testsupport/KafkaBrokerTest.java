package dev.loopline.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {

    @Test
    void deliversAProducedMessageToAConsumerAndStopsItsJvm() throws Exception {
        KafkaBroker broker = KafkaBroker.builder().numPartitions(2).build().start();
        ProcessHandle jvm = broker.processHandle();
        try {
            // ProcessHandle.Info truncates long command lines; /proc has all of it
            assertThat(Files.readString(Path.of("/proc", Long.toString(jvm.pid()), "cmdline"))
                            .split("\0"))
                    .containsSubsequence("-Xmx256m", BrokerWatchdog.class.getName(), "kafka.Kafka");
            assertThat(clusterIdAnsweredBy(broker.bootstrapServers())).isEqualTo(broker.clusterId());
            // a 128 MiB cleaner buffer in a 256 MiB heap made the broker die with OutOfMemoryError now and then
            assertThat(brokerConfig(broker.bootstrapServers(), "log.cleaner.dedupe.buffer.size"))
                    .isEqualTo(Integer.toString(8 * 1024 * 1024));
            broker.createTopics(1, "greetings");

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG,
                    "all",
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                    StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    StringSerializer.class))) {
                producer.send(new ProducerRecord<>("greetings", "k1", "hello from loopline"))
                        .get(30, TimeUnit.SECONDS);
            }

            assertThat(consumeOne(broker.bootstrapServers(), "greetings").value())
                    .isEqualTo("hello from loopline");
        } finally {
            broker.stop();
        }
        assertThat(jvm.isAlive()).isFalse();
    }

    @Test
    void restartsOnFixedPortsAndDirectoryKeepingClusterIdAndTopics(@TempDir Path dir) throws Exception {
        int[] ports = FreePorts.pick(2);
        KafkaBroker.Builder options =
                KafkaBroker.builder().port(ports[0]).controllerPort(ports[1]).directory(dir.resolve("kafka"));
        KafkaBroker first = options.build().start();
        String clusterId;
        try {
            assertThat(first.bootstrapServers()).isEqualTo("127.0.0.1:" + ports[0]);
            clusterId = first.clusterId();
            first.createTopics("kept");
        } finally {
            first.stop();
        }

        KafkaBroker second = options.build().start();
        try {
            assertThat(second.clusterId()).isEqualTo(clusterId);
            assertThat(clusterIdAnsweredBy(second.bootstrapServers())).isEqualTo(clusterId);
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, second.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("kept");
                assertThat(admin.describeTopics(List.of("kept"))
                                .allTopicNames()
                                .get(30, TimeUnit.SECONDS)
                                .get("kept")
                                .partitions())
                        .hasSize(3);
            }
        } finally {
            second.stop();
        }
        assertThat(second.processHandle().isAlive()).isFalse();
        assertThat(dir.resolve("kafka/broker.log")).isNotEmptyFile();
    }

    @Test
    void brokerClasspathHoldsServerAndClientJars() {
        assertThat(KafkaBroker.brokerClasspath())
                .anyMatch(jar -> jar.endsWith("kafka_2.13-4.1.1.jar"))
                .anyMatch(jar -> jar.endsWith("kafka-clients-4.1.1.jar"))
                .anyMatch(jar -> jar.contains("log4j-core"))
                .doesNotHaveDuplicates();
    }

    static String clusterIdAnsweredBy(String bootstrapServers) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        }
    }

    static String brokerConfig(String bootstrapServers, String name) throws Exception {
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return admin.describeConfigs(List.of(broker))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(broker)
                    .get(name)
                    .value();
        }
    }

    static ConsumerRecord<String, String> consumeOne(String bootstrapServers, String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-support-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    return record;
                }
            }
        }
        throw new AssertionError("no record on " + topic + " within 30 s");
    }
}
