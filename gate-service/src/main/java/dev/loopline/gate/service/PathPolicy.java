package dev.loopline.gate.service;

import dev.loopline.gate.repository.ChangeSet;
import dev.loopline.schemas.spec.LoopSpec;
import java.util.List;

/**
 * Whether an L3 change may be merged unattended: every changed path (both sides of a rename, deleted
 * paths too) inside the allowlist and within its size limits. The seam the full policy in {@code
 * dev.loopline.core.policy} will plug into.
 */
public interface PathPolicy {

    /**
     * @return the reasons the change is outside the allowlist, each naming the offending paths or limit;
     *     empty when it may be merged
     */
    List<String> violations(LoopSpec.Allowlist allowlist, ChangeSet change);
}
