package dev.loopline.state.service;

import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.PessimisticLockException;
import jakarta.persistence.QueryTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.hibernate.exception.JDBCConnectionException;

/**
 * Tells a transient store failure (worth retrying the same message later) from a poison one (this message
 * can never be stored, so it is dead-lettered).
 */
public final class StoreFailures {

    /**
     * SQLSTATE classes that say nothing about the message: connection (08), transaction rollback such as
     * serialization failure or deadlock (40), insufficient resources (53), operator intervention such as a
     * shutdown (57), system error (58).
     */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "40", "53", "57", "58");

    private StoreFailures() {}

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JDBCConnectionException
                    || t instanceof LockTimeoutException
                    || t instanceof PessimisticLockException
                    || t instanceof QueryTimeoutException
                    || t instanceof SQLTransientException) {
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
