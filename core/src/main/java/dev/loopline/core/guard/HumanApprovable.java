package dev.loopline.core.guard;

import dev.loopline.core.guard.harness.HarnessFinding;
import dev.loopline.core.guard.integrity.IntegrityRule;
import java.util.Set;

/**
 * The findings that keep a change from leaving unattended but that a human may approve at L2: changes to what decides
 * whether the tests pass (the pinned harness, loop specs) and to existing tests (deleted, renamed away, skipped,
 * weakened, their expectations edited). They are what a loop whose job is maintaining tests legitimately produces,
 * so such a loop runs at L2 and a human approves each change (README, "Loops that maintain tests").
 *
 * <p>Everything else that escalates is not approvable this way: findings shaped like cheating (test reports
 * rewritten, an exit before the tests run, answers hard-coded for the tests' inputs, code that detects the test
 * runner, assertions that cannot fail, builds or CI set to let failures pass), prompt injection, dangerous commands,
 * and every check that could not run. Those end {@code escalated}, with nothing pushed.
 */
public final class HumanApprovable {

    private static final Set<String> RULES = Set.of(
            HarnessFinding.HARNESS_CHANGED,
            HarnessFinding.LOOP_SPEC_CHANGED,
            IntegrityRule.TEST_REMOVED.id(),
            IntegrityRule.TEST_FILE_DELETED.id(),
            IntegrityRule.TEST_FILE_RENAMED_AWAY.id(),
            IntegrityRule.TEST_SKIPPED.id(),
            IntegrityRule.ASSERTION_REMOVED.id(),
            IntegrityRule.ASSERTION_COMMENTED_OUT.id(),
            IntegrityRule.ASSERTION_WEAKENED.id(),
            IntegrityRule.ASSERTION_MODIFIED.id(),
            IntegrityRule.EXPECTATION_EDITED_WITHOUT_SOURCE_CHANGE.id(),
            IntegrityRule.EVAL_FIXTURE_CHANGED.id(),
            IntegrityRule.COVERAGE_WEAKENED.id(),
            IntegrityRule.CI_CONFIG_CHANGED.id());

    private HumanApprovable() {}

    /** Whether a finding of rule {@code ruleId} may be approved by a human at L2. Unknown or null ids are not. */
    public static boolean rule(String ruleId) {
        return ruleId != null && RULES.contains(ruleId);
    }
}
