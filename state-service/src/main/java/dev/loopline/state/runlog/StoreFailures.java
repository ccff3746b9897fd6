package dev.loopline.state.runlog;

import dev.loopline.support.store.SqlFailures;
import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.PessimisticLockException;
import jakarta.persistence.QueryTimeoutException;
import org.hibernate.exception.JDBCConnectionException;

/**
 * Tells a transient store failure (worth retrying the same message later) from a poison one (this message
 * can never be stored, so it is dead-lettered): the JPA and Hibernate exceptions that say so, then the SQLSTATE
 * rules every service shares ({@link SqlFailures}).
 */
public final class StoreFailures {

    private StoreFailures() {}

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JDBCConnectionException
                    || t instanceof LockTimeoutException
                    || t instanceof PessimisticLockException
                    || t instanceof QueryTimeoutException) {
                return true;
            }
        }
        return SqlFailures.isTransient(failure);
    }
}
