package dev.loopline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Hands a real Kafka broker to a Quarkus test: one broker per test JVM, started on first use,
 * shared by every test class and test profile, stopped when the JVM exits.
 *
 * <p>With the environment variable {@value #BOOTSTRAP_ENV} set, no broker is started and that
 * address is used instead.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    /** bootstrap.servers of an external broker to use instead of starting one. */
    public static final String BOOTSTRAP_ENV = "LOOPLINE_TEST_KAFKA_BOOTSTRAP";

    @Override
    public Map<String, String> start() {
        String bootstrap = bootstrapServers();
        return Map.of(
                "kafka.bootstrap.servers", bootstrap,
                "mp.messaging.connector.smallrye-kafka.bootstrap.servers", bootstrap,
                "quarkus.kafka.devservices.enabled", "false");
    }

    /** The broker tests talk to: {@value #BOOTSTRAP_ENV} if set, else this JVM's shared broker. */
    public static String bootstrapServers() {
        String external = System.getenv(BOOTSTRAP_ENV);
        if (external != null && !external.isBlank()) {
            return external.trim();
        }
        return SharedServices.kafkaBootstrapServers();
    }

    @Override
    public void stop() {
        // shared by all test classes of the JVM: stopped by a shutdown hook, not per application
    }
}
