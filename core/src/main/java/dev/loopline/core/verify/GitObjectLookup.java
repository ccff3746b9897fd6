package dev.loopline.core.verify;

import java.util.List;
import java.util.Set;

/** Read-only access to a repository's object database, answered in batches. */
public interface GitObjectLookup extends AutoCloseable {

    /**
     * Looks up each name literally as an object id (no peeling); one answer per name, in order.
     *
     * @throws GitUnavailableException when git cannot answer (missing binary, not a repository,
     *     process died, timeout)
     */
    List<ObjectInfo> lookup(List<String> names) throws GitUnavailableException;

    /**
     * A second derivation: the full ids of the commits the names resolve to (tags peeled, unknown
     * names ignored), computed by a different git command than {@link #lookup}.
     */
    Set<String> resolveCommits(List<String> names) throws GitUnavailableException;

    @Override
    void close();
}
