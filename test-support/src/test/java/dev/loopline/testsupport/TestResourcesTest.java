package dev.loopline.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestResourcesTest {

    @Test
    void kafkaResourceStartsOneBrokerPerJvmAndHandsItsAddressToQuarkus() throws Exception {
        Map<String, String> first = new KafkaTestResource().start();
        Map<String, String> second = new KafkaTestResource().start();

        assertThat(second).isEqualTo(first);
        String bootstrap = first.get("kafka.bootstrap.servers");
        assertThat(bootstrap).isEqualTo(System.getProperty(SharedServices.KAFKA_BOOTSTRAP_PROPERTY));
        assertThat(first)
                .containsEntry("mp.messaging.connector.smallrye-kafka.bootstrap.servers", bootstrap)
                .containsEntry("quarkus.kafka.devservices.enabled", "false");
        assertThat(KafkaBrokerTest.clusterIdAnsweredBy(bootstrap)).isNotBlank();
    }

    @Test
    void postgresResourceSharesOneServerAndCreatesTheRequestedDatabase() throws Exception {
        PostgresTestResource ledger = new PostgresTestResource();
        ledger.init(Map.of(PostgresTestResource.DATABASE_ARG, "ledger"));
        Map<String, String> config = ledger.start();
        Map<String, String> defaults = new PostgresTestResource().start();

        String port = System.getProperty(SharedServices.POSTGRES_PORT_PROPERTY);
        assertThat(config)
                .containsEntry("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/ledger")
                .containsEntry("quarkus.datasource.devservices.enabled", "false");
        assertThat(defaults)
                .containsEntry("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres");
        try (Connection connection = DriverManager.getConnection(
                        config.get("quarkus.datasource.jdbc.url"),
                        config.get("quarkus.datasource.username"),
                        config.get("quarkus.datasource.password"));
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select current_database()")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("ledger");
        }
    }
}
