package dev.loopline.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.core.guard.integrity.IntegrityRule;
import org.junit.jupiter.api.Test;

class HumanApprovableTest {

    @Test
    void changesToTheHarnessSpecsAndExistingTestsMayBeApproved() {
        assertThat(HumanApprovable.rule("harness-changed")).isTrue();
        assertThat(HumanApprovable.rule("loop-spec-changed")).isTrue();
        assertThat(HumanApprovable.rule(IntegrityRule.TEST_FILE_DELETED.id())).isTrue();
        assertThat(HumanApprovable.rule(IntegrityRule.ASSERTION_WEAKENED.id())).isTrue();
    }

    @Test
    void cheatingShapedFindingsInjectionsAndUnknownRulesMayNot() {
        for (IntegrityRule rule : new IntegrityRule[] {
            IntegrityRule.TEST_REPORT_REWRITTEN,
            IntegrityRule.EXIT_BEFORE_TESTS,
            IntegrityRule.HARDCODED_TEST_ANSWER,
            IntegrityRule.TEST_ENVIRONMENT_DETECTED,
            IntegrityRule.ASSERTION_TRIVIAL,
            IntegrityRule.BUILD_SKIPS_TESTS,
            IntegrityRule.CI_FAILURE_IGNORED,
            IntegrityRule.SCANNER_ERROR,
            IntegrityRule.UNPARSEABLE_DIFF
        }) {
            assertThat(HumanApprovable.rule(rule.id())).as(rule.id()).isFalse();
        }
        assertThat(HumanApprovable.rule("injection-instruction-override")).isFalse();
        assertThat(HumanApprovable.rule(null)).isFalse();
        assertThat(HumanApprovable.rule("Harness-Changed")).isFalse();
    }
}
