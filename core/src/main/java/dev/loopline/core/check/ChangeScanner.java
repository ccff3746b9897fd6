package dev.loopline.core.check;

import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.Finding;
import java.nio.file.Path;
import java.util.List;

/**
 * The scanner extension point: every CDI bean implementing this runs on each proposal after the patch
 * applied cleanly, against the patched checkout. A finding at or above the scanner's {@link #escalateAt()}
 * severity turns the verdict into {@code escalate}; findings below it are reported without changing the
 * verdict. A scanner that throws escalates too (fail closed).
 */
public interface ChangeScanner {

    /** Short stable name, shown in reasons and in {@code /api/v1/guard/info}. */
    String name();

    /**
     * @param checkout the clean checkout of {@code baseSha} with exactly the proposed diff applied (and staged)
     */
    List<Finding> scan(ChangeProposed proposal, Path checkout);

    /** The lowest severity of this scanner's findings that escalates the verdict. */
    default Finding.Severity escalateAt() {
        return Finding.Severity.HIGH;
    }

    /** Whether {@code finding} escalates the verdict under this scanner's policy; no severity counts as high. */
    default boolean escalates(Finding finding) {
        return finding.severity() == null || finding.severity().compareTo(escalateAt()) >= 0;
    }
}
