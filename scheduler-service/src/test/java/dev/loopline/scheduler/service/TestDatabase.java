package dev.loopline.scheduler.service;

import dev.loopline.scheduler.repository.PostgresSchedulerStore;
import dev.loopline.testsupport.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * A real Postgres database for tests of the scheduler without Quarkus: the JVM's shared test server (the one
 * {@link PostgresTestResource} starts), a database of its own migrated with the service's Flyway scripts, and
 * connection pools like the service's, one per simulated replica.
 */
final class TestDatabase implements AutoCloseable {

    private final String url;
    private final String user;
    private final String password;
    private final List<AgroalDataSource> pools = new ArrayList<>();

    private TestDatabase(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** The database {@code name} on the shared server, migrated, its scheduler tables emptied. */
    static TestDatabase named(String name) {
        PostgresTestResource resource = new PostgresTestResource();
        resource.init(Map.of(PostgresTestResource.DATABASE_ARG, name));
        Map<String, String> props = resource.start();
        TestDatabase db = new TestDatabase(
                props.get("quarkus.datasource.jdbc.url"),
                props.get("quarkus.datasource.username"),
                props.get("quarkus.datasource.password"));
        Flyway.configure()
                .dataSource(db.url, db.user, db.password)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        db.truncate();
        return db;
    }

    /** A new connection pool on this database (a replica's own), closed with this. */
    AgroalDataSource pool(int maxSize) {
        try {
            AgroalDataSource pool = AgroalDataSource.from(
                    new AgroalDataSourceConfigurationSupplier().connectionPoolConfiguration(cp -> cp.maxSize(maxSize)
                            .connectionFactoryConfiguration(cf -> cf.jdbcUrl(url)
                                    .principal(new NamePrincipal(user))
                                    .credential(new SimplePassword(password)))));
            pools.add(pool);
            return pool;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open a pool on " + url, e);
        }
    }

    /** A store on a pool of its own. */
    PostgresSchedulerStore store() {
        return new PostgresSchedulerStore(pool(4));
    }

    void truncate() {
        try (Connection c = java.sql.DriverManager.getConnection(url, user, password);
                Statement st = c.createStatement()) {
            st.execute("TRUNCATE loop_state, loop_outcome, tick_lease, scheduler_leader");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty the scheduler tables", e);
        }
    }

    @Override
    public void close() {
        pools.forEach(AgroalDataSource::close);
        pools.clear();
    }
}
