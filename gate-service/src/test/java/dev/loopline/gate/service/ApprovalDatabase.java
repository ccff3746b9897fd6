package dev.loopline.gate.service;

import dev.loopline.testsupport.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * A real Postgres database for the gate's approval tests without Quarkus: the JVM's shared test server, a database
 * of its own migrated with the gate's Flyway scripts, and one connection pool per simulated gate replica.
 */
final class ApprovalDatabase implements AutoCloseable {

    private final String url;
    private final String user;
    private final String password;
    private final List<AgroalDataSource> pools = new ArrayList<>();

    private ApprovalDatabase(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** The database {@code name}, migrated, its tables emptied. */
    static ApprovalDatabase named(String name) {
        PostgresTestResource resource = new PostgresTestResource();
        resource.init(Map.of(PostgresTestResource.DATABASE_ARG, name));
        Map<String, String> props = resource.start();
        ApprovalDatabase db = new ApprovalDatabase(
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

    void truncate() {
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement st = c.createStatement()) {
            st.execute("TRUNCATE approval_vote, approval_request, tick_trigger, approval_outbox");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty the approval tables", e);
        }
    }

    @Override
    public void close() {
        pools.forEach(AgroalDataSource::close);
        pools.clear();
    }
}
