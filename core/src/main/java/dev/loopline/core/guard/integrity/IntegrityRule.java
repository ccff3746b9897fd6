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
