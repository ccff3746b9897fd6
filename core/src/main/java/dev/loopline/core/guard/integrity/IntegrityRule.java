package dev.loopline.core.guard.integrity;

/** The rules of the diff-integrity scanner; {@link #id()} is the stable, reportable name. */
public enum IntegrityRule {
    /** A test declaration line disappeared without an identical line reappearing in the file. */
    TEST_REMOVED("test-removed"),
    TEST_FILE_DELETED("test-file-deleted"),
    /** A test file renamed to a path that no test runner collects. */
    TEST_FILE_RENAMED_AWAY("test-file-renamed-away"),
    TEST_SKIPPED("test-skipped"),
    /** {@code .only}/{@code fit}: every other test silently stops running. */
    TEST_FOCUSED("test-focused"),
    ASSERTION_REMOVED("assertion-removed"),
    ASSERTION_COMMENTED_OUT("assertion-commented-out"),
    ASSERTION_WEAKENED("assertion-weakened"),
    /** An assertion that cannot fail, such as {@code assertTrue(true)}. */
    ASSERTION_TRIVIAL("assertion-trivial"),
    /** An assertion replaced by another of the same strength; informational. */
    ASSERTION_MODIFIED("assertion-modified"),
    ASSUMPTION_SKIP("assumption-skip"),
    EARLY_RETURN("early-return"),
    BUILD_SKIPS_TESTS("build-skips-tests"),
    CI_FAILURE_IGNORED("ci-failure-ignored"),
    CI_TEST_STEP_REMOVED("ci-test-step-removed"),
    CI_CONFIG_CHANGED("ci-config-changed"),
    EVAL_FIXTURE_CHANGED("eval-fixture-changed"),
    /** Code that rewrites, swallows or forces test outcomes (report hooks, patched assertions, listeners). */
    TEST_REPORT_REWRITTEN("test-report-rewritten"),
    /** A test file, conftest or test setup file exits the process with status 0 before tests can fail. */
    EXIT_BEFORE_TESTS("exit-before-tests"),
    /** An equality method that holds for every argument, so {@code x == expected} cannot fail. */
    EQUALS_EVERYTHING("equals-everything"),
    /** Product code special-cases literal values that the tests use as inputs and expected outputs. */
    HARDCODED_TEST_ANSWER("hardcoded-test-answer"),
    /** Product code branches on whether it runs under a test runner or in CI. */
    TEST_ENVIRONMENT_DETECTED("test-environment-detected"),
    /** Only literal values of test expectations changed while no product source changed. */
    EXPECTATION_EDITED_WITHOUT_SOURCE_CHANGE("expectation-edited-without-source-change"),
    /** A coverage threshold lowered or removed, or code excluded from coverage. */
    COVERAGE_WEAKENED("coverage-weakened"),
    /** Binary content (or a symlink or submodule) that the scanner cannot read. */
    BINARY_UNSCANNED("binary-unscanned"),
    UNPARSEABLE_DIFF("unparseable-diff"),
    /** The scanner itself failed on a file; reported so the caller fails closed. */
    SCANNER_ERROR("scanner-error");

    private final String id;

    IntegrityRule(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
