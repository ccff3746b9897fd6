package dev.loopline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Hands a real PostgreSQL database to a Quarkus test: one server per test JVM, started on first
 * use, shared by every test class and test profile, stopped when the JVM exits.
 *
 * <p>Init argument {@value #DATABASE_ARG} (default {@value PostgresServer#DEFAULT_DATABASE})
 * names the database; it is created if missing. With the environment variable {@value
 * #JDBC_URL_ENV} set, no server is started: that URL (with {@value #JDBC_USER_ENV} and {@value
 * #JDBC_PASSWORD_ENV}) is used as it is and the database argument is ignored.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String JDBC_URL_ENV = "LOOPLINE_TEST_JDBC_URL";
    public static final String JDBC_USER_ENV = "LOOPLINE_TEST_JDBC_USER";
    public static final String JDBC_PASSWORD_ENV = "LOOPLINE_TEST_JDBC_PASSWORD";

    /** {@code @ResourceArg(name = "database", value = "ledger")}: the database to create and use. */
    public static final String DATABASE_ARG = "database";

    private String database = PostgresServer.DEFAULT_DATABASE;

    @Override
    public void init(Map<String, String> initArgs) {
        String requested = initArgs.get(DATABASE_ARG);
        if (requested != null && !requested.isBlank()) {
            database = requested.trim();
        }
    }

    @Override
    public Map<String, String> start() {
        String url;
        String user;
        String password;
        String externalUrl = System.getenv(JDBC_URL_ENV);
        if (externalUrl != null && !externalUrl.isBlank()) {
            url = externalUrl.trim();
            user = envOrEmpty(JDBC_USER_ENV);
            password = envOrEmpty(JDBC_PASSWORD_ENV);
        } else {
            int port = SharedServices.postgresPort();
            user = PostgresServer.USERNAME;
            password = PostgresServer.PASSWORD;
            if (!PostgresServer.DEFAULT_DATABASE.equals(database)) {
                PostgresServer.ensureDatabase(
                        PostgresServer.jdbcUrl(port, PostgresServer.DEFAULT_DATABASE), user, password, database);
            }
            url = PostgresServer.jdbcUrl(port, database);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", url,
                "quarkus.datasource.username", user,
                "quarkus.datasource.password", password,
                "quarkus.datasource.devservices.enabled", "false");
    }

    private static String envOrEmpty(String name) {
        String value = System.getenv(name);
        return value == null ? "" : value;
    }

    @Override
    public void stop() {
        // shared by all test classes of the JVM: stopped by a shutdown hook, not per application
    }
}
