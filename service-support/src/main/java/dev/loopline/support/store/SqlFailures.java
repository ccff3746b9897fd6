package dev.loopline.support.store;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Tells a transient database failure (the database is away, busy or shutting down: worth trying the same message again
 * later) from one caused by the message itself (a constraint or data error: it can never be stored). JDBC-level only;
 * a service using JPA adds its own exception types on top.
 */
public final class SqlFailures {

    /**
     * SQLSTATE classes that say nothing about the message: connection (08), transaction rollback such as serialization
     * failure or deadlock (40), insufficient resources (53), operator intervention such as a shutdown (57), system
     * error (58).
     */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "40", "53", "57", "58");

    private SqlFailures() {}

    /** Whether the first {@link SQLException} in the cause chain is transient; false when there is none. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                // no SQLSTATE: the pool or driver failed before the server answered (e.g. acquisition timeout)
                return state == null || state.length() < 2 || TRANSIENT_CLASSES.contains(state.substring(0, 2));
            }
        }
        return false;
    }
}
