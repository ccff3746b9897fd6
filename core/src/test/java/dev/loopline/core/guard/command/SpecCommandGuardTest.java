package dev.loopline.core.guard.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopline.schemas.spec.LoopSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecCommandGuardTest {

    private static LoopSpec spec(LoopSpec.Commands commands) {
        return LoopSpec.builder("l", LoopSpec.Kind.ASSISTED_FIX, LoopSpec.Level.L2, new LoopSpec.Target("/r", "main"))
                .commands(commands)
                .build();
    }

    @Test
    void aSpecWithoutCommandRulesGetsTheBuiltInGuard() {
        assertThat(SpecCommandGuard.of(spec(null))).isSameAs(CommandGuard.defaults());
        assertThat(SpecCommandGuard.check(spec(null), "npm version patch").allowed())
                .isTrue();
        assertThat(SpecCommandGuard.check(spec(null), "npm publish").allowed())
                .as("publishing is a built-in rule")
                .isFalse();
    }

    @Test
    void aLoopDenyRuleBlocksItsCommandEvenBehindAWrapper() {
        LoopSpec spec = spec(new LoopSpec.Commands(
                List.of(new LoopSpec.CommandDeny("no-publish", "loops never publish packages", "npm", "publish*")),
                null));

        Decision decision = SpecCommandGuard.check(spec, "sudo npm publish --tag next");

        assertThat(decision).isInstanceOfSatisfying(Decision.Block.class, b -> {
            assertThat(b.ruleId()).isEqualTo("no-publish");
            assertThat(b.reason()).isEqualTo("loops never publish packages");
        });
        assertThat(SpecCommandGuard.check(spec, "npm test").allowed()).isTrue();
    }

    @Test
    void aDenyRuleNamedWithAPathMatchesTheCommandHoweverItIsInvoked() {
        LoopSpec spec = spec(new LoopSpec.Commands(
                List.of(new LoopSpec.CommandDeny("no-deploy", "tests never deploy", "./deploy.sh", null)), null));

        assertThat(SpecCommandGuard.check(spec, "./deploy.sh --prod").allowed()).isFalse();
        assertThat(SpecCommandGuard.check(spec, "bash -c '/srv/app/deploy.sh'").allowed())
                .isFalse();
        assertThat(SpecCommandGuard.check(spec, "./build.sh").allowed()).isTrue();
    }

    @Test
    void aLoopExceptionLetsExactlyItsCommandThroughABuiltInRule() {
        LoopSpec spec = spec(new LoopSpec.Commands(
                null, List.of(new LoopSpec.CommandAllow("fs-recursive-delete", "rm -rf /tmp/target"))));

        assertThat(SpecCommandGuard.check(spec, "rm -rf /tmp/target").allowed()).isTrue();
        assertThat(SpecCommandGuard.check(spec, "rm -rf /").allowed()).isFalse();
        assertThat(SpecCommandGuard.check(spec(null), "rm -rf /tmp/target").allowed())
                .isFalse();
    }

    @Test
    void anExceptionToUnparseableIsRefusedSoCallersFailClosed() {
        LoopSpec spec = spec(new LoopSpec.Commands(null, List.of(new LoopSpec.CommandAllow("unparseable", "*"))));

        assertThatThrownBy(() -> SpecCommandGuard.check(spec, "echo 'unterminated"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
