package dev.loopline.core.check;

import dev.loopline.core.guard.integrity.IntegrityRule;
import dev.loopline.core.guard.integrity.IntegrityScanner;
import dev.loopline.core.guard.integrity.TestTree;
import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.Finding;
import java.nio.file.Path;
import java.util.List;

/**
 * The reward-hacking check: core's {@link IntegrityScanner} on the proposed diff (deleted, skipped or weakened
 * tests, builds and CI set to let failures pass, edited golden files). Any finding of severity {@code medium}
 * or higher escalates — a human looks at it; the agent only retries on {@code reject}, so a maker cannot
 * iterate its way around this check. {@code low} findings (informational: a CI file changed, an assertion
 * replaced by one as strong) are reported in the verdict without changing it.
 */
public class IntegrityChangeScanner implements ChangeScanner {

    public static final String NAME = "integrity";

    /** Longest evidence carried into a verdict finding. */
    static final int MAX_EVIDENCE = 200;

    private final IntegrityScanner scanner = new IntegrityScanner();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Finding.Severity escalateAt() {
        return Finding.Severity.MEDIUM;
    }

    @Override
    public List<Finding> scan(ChangeProposed proposal, Path checkout) {
        // a null diff becomes a HIGH unparseable-diff finding in the scanner: never clean; the checkout's existing
        // tests are read only when the diff special-cases literals (answers hard-coded for their inputs)
        TestTree tree = checkout == null ? TestTree.NONE : new CheckoutTestTree(checkout);
        return scanner.scan(proposal.diff(), tree).stream()
                .map(IntegrityChangeScanner::toFinding)
                .toList();
    }

    public static Finding toFinding(dev.loopline.core.guard.integrity.Finding finding) {
        return new Finding(
                finding.ruleId(),
                severity(finding.severity()),
                description(finding.rule()),
                finding.file(),
                finding.line() > 0 ? finding.line() : null,
                clip(finding.evidence()));
    }

    static Finding.Severity severity(dev.loopline.core.guard.integrity.Severity severity) {
        return switch (severity) {
            case LOW -> Finding.Severity.LOW;
            case MEDIUM -> Finding.Severity.MEDIUM;
            case HIGH -> Finding.Severity.HIGH;
        };
    }

    /** What each rule means, for people reading a verdict; exhaustive so a new rule cannot go undescribed. */
    static String description(IntegrityRule rule) {
        return switch (rule) {
            case TEST_REMOVED -> "a test was removed";
            case TEST_FILE_DELETED -> "a test file was deleted";
            case TEST_FILE_RENAMED_AWAY -> "a test file was renamed to a path no test runner collects";
            case TEST_SKIPPED -> "a test was marked as skipped or disabled";
            case TEST_FOCUSED -> "a focused test (.only, fit) silently stops every other test from running";
            case ASSERTION_REMOVED -> "an assertion was removed";
            case ASSERTION_COMMENTED_OUT -> "an assertion was commented out";
            case ASSERTION_WEAKENED -> "an assertion was replaced by a weaker one";
            case ASSERTION_TRIVIAL -> "an assertion that cannot fail was added";
            case ASSERTION_MODIFIED -> "an assertion was replaced by another of the same strength";
            case ASSUMPTION_SKIP -> "an assumption makes a test skip instead of fail";
            case EARLY_RETURN -> "a test returns before its assertions";
            case BUILD_SKIPS_TESTS -> "the build is set to skip tests or ignore their failures";
            case CI_FAILURE_IGNORED -> "a CI step is set to pass when it fails";
            case CI_TEST_STEP_REMOVED -> "a test step was removed from CI";
            case CI_CONFIG_CHANGED -> "CI configuration changed";
            case EVAL_FIXTURE_CHANGED -> "an expected-output (golden, snapshot, eval) file changed";
            case TEST_REPORT_REWRITTEN -> "code rewrites, swallows or forces test outcomes so failures report as passes";
            case EXIT_BEFORE_TESTS -> "test code exits the process with status 0 before the tests can fail";
            case EQUALS_EVERYTHING -> "an equality method holds for every argument, so comparisons cannot fail";
            case HARDCODED_TEST_ANSWER -> "product code special-cases the literal inputs and answers the tests use";
            case TEST_ENVIRONMENT_DETECTED -> "product code behaves differently under a test runner or in CI";
            case EXPECTATION_EDITED_WITHOUT_SOURCE_CHANGE -> "test expectations were edited while no product source"
                    + " changed";
            case COVERAGE_WEAKENED -> "a coverage threshold was lowered or removed, or code was excluded from coverage";
            case BINARY_UNSCANNED -> "binary content (or a symlink or submodule) changed that cannot be scanned";
            case UNPARSEABLE_DIFF -> "the diff cannot be parsed, so it cannot be shown to be safe";
            case SCANNER_ERROR -> "the integrity scanner failed on this file, so it cannot be shown to be safe";
        };
    }

    static String clip(String evidence) {
        if (evidence == null || evidence.length() <= MAX_EVIDENCE) {
            return evidence;
        }
        int cut = MAX_EVIDENCE - 1;
        if (Character.isHighSurrogate(evidence.charAt(cut - 1))) {
            cut--;
        }
        return evidence.substring(0, cut) + "\u2026";
    }
}
