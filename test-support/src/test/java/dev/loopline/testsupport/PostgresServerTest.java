package dev.loopline.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServerTest {

    private static PostgresServer server;

    @BeforeAll
    static void start() {
        server = PostgresServer.startTemporary();
    }

    @AfterAll
    static void stop() {
        ProcessHandle postmaster = server.processHandle();
        server.stop();
        assertThat(postmaster.isAlive()).isFalse();
    }

    @Test
    void itsProcessHandleIsThePostmasterWithTheBackendsAsChildren() throws SQLException {
        ProcessHandle postmaster = server.processHandle();
        assertThat(postmaster.isAlive())
                .as("the postmaster runs while the server does")
                .isTrue();
        try (Connection connection = connect(server.jdbcUrl());
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            long backend = row.getLong(1);
            assertThat(postmaster.children().map(ProcessHandle::pid))
                    .as("the backend serving this connection is a child of the postmaster")
                    .contains(backend);
        }
    }

    @Test
    void runsARealPostgres17() throws SQLException {
        try (Connection connection = connect(server.jdbcUrl())) {
            assertThat(queryString(connection, "select version()")).startsWith("PostgreSQL 17.");
        }
    }

    @Test
    void storesAndReadsRowsThroughJdbc() throws SQLException {
        try (Connection connection = connect(server.jdbcUrl());
                Statement statement = connection.createStatement()) {
            statement.execute("create table greeting (id int primary key, text varchar(40) not null)");
            statement.executeUpdate("insert into greeting values (1, 'hello'), (2, 'world')");
            assertThat(queryString(connection, "select string_agg(text, ' ' order by id) from greeting"))
                    .isEqualTo("hello world");
        }
    }

    @Test
    void aServerWithADataDirectoryRestartsOnItsPortWithItsData(@TempDir Path data) throws SQLException {
        int port = FreePorts.pick();
        PostgresServer restartable =
                PostgresServer.builder().port(port).dataDirectory(data).build().start();
        try {
            try (Connection connection = connect(restartable.jdbcUrl());
                    Statement statement = connection.createStatement()) {
                statement.execute("create table kept (v text)");
                statement.executeUpdate("insert into kept values ('before the restart')");
            }
            restartable.stop();
            restartable.start();

            assertThat(restartable.port()).isEqualTo(port);
            try (Connection connection = connect(restartable.jdbcUrl())) {
                assertThat(queryString(connection, "select v from kept")).isEqualTo("before the restart");
            }
        } finally {
            restartable.stop();
        }
    }

    @Test
    void createsADatabaseOnceAndConnectsToIt() throws SQLException {
        String url = server.createDatabase("orders");
        assertThat(server.createDatabase("orders")).isEqualTo(url);
        assertThat(url).isEqualTo("jdbc:postgresql://127.0.0.1:" + server.port() + "/orders");
        try (Connection connection = connect(url)) {
            assertThat(queryString(connection, "select current_database()")).isEqualTo("orders");
        }
    }

    @Test
    void rejectsDatabaseNamesThatAreNotPlainIdentifiers() {
        assertThatThrownBy(() -> server.createDatabase("x\"; drop database postgres; --"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, server.username(), server.password());
    }

    private static String queryString(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }
}
