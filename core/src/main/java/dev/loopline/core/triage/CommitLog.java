package dev.loopline.core.triage;

import java.util.List;

/** Read access to a repository's history, as the triage stage needs it. Implementations do the I/O. */
public interface CommitLog {

    /** The full id of the commit {@code ref} points to. */
    String head(String ref);

    /** Whether {@code sha} names a commit that is an ancestor of (or equal to) {@code head}. */
    boolean isAncestor(String sha, String head);

    /**
     * Commits reachable from {@code head} but not from {@code since} (all of {@code head}'s history when {@code since}
     * is null), newest first, at most {@code max}.
     */
    List<Commit> between(String since, String head, int max);
}
