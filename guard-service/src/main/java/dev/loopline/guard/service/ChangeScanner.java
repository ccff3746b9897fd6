package dev.loopline.guard.service;

import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.Finding;
import java.nio.file.Path;
import java.util.List;

/**
 * The scanner extension point: every CDI bean implementing this runs on each proposal after the patch
 * applied cleanly, against the patched checkout. None is registered yet (the diff-integrity, reward-hacking
 * and injection scanners are being built in {@code core}; wrap each in a bean here). A {@code high} finding
 * turns the verdict into {@code escalate}; a scanner that throws escalates too (fail closed).
 */
public interface ChangeScanner {

    /** Short stable name, shown in reasons and in {@code /api/v1/guard/info}. */
    String name();

    /**
     * @param checkout the clean checkout of {@code baseSha} with exactly the proposed diff applied (and staged)
     */
    List<Finding> scan(ChangeProposed proposal, Path checkout);
}
