package dev.loopline.core.guard.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommandPolicyTest {
    private final CommandGuard guard = CommandGuard.defaults()
            .withPolicy(CommandPolicy.builder()
                    .deny("no-terraform-apply", "infrastructure changes need a human", "terraform", "apply*")
                    .deny("no-npm-publish", "publishing is a release step", "npm", "publish*")
                    .deny("no-kubectl", "cluster access is out of scope", "kubectl")
                    .allow("fs-recursive-delete", "rm -rf /tmp/target")
                    .allow("fs-recursive-delete", "rm -rf /tmp/build/*")
                    .allow("git-history-rewrite", "git rebase --continue")
                    .build());

    private String ruleOf(String command) {
        Decision d = guard.check(command);
        return d instanceof Decision.Block b ? b.ruleId() : "allow";
    }

    @Test
    void denyRuleBlocksTheNamedCommandWithMatchingArguments() {
        assertThat(ruleOf("terraform apply -auto-approve")).isEqualTo("no-terraform-apply");
        assertThat(ruleOf("npm publish --access public")).isEqualTo("no-npm-publish");
        assertThat(ruleOf("kubectl get pods")).isEqualTo("no-kubectl");
    }

    @Test
    void denyRuleSeesThroughWrappers() {
        assertThat(ruleOf("sudo -E terraform apply")).isEqualTo("no-terraform-apply");
        assertThat(ruleOf("bash -c 'cd infra && terraform apply'")).isEqualTo("no-terraform-apply");
        assertThat(ruleOf("/usr/local/bin/kubectl delete ns x")).isEqualTo("no-kubectl");
    }

    @Test
    void denyRuleLeavesOtherArgumentsAlone() {
        assertThat(ruleOf("terraform plan")).isEqualTo("allow");
        assertThat(ruleOf("npm test")).isEqualTo("allow");
        assertThat(ruleOf("echo terraform apply")).isEqualTo("allow");
    }

    @Test
    void allowExceptionLiftsOnlyTheMatchingCommand() {
        assertThat(ruleOf("rm -rf /tmp/target")).isEqualTo("allow");
        assertThat(ruleOf("rm -rf /tmp/build/classes")).isEqualTo("allow");
        assertThat(ruleOf("git rebase --continue")).isEqualTo("allow");
        assertThat(ruleOf("rm -rf /tmp/src")).isEqualTo("fs-recursive-delete");
        assertThat(ruleOf("git rebase -i HEAD~2")).isEqualTo("git-history-rewrite");
    }

    @Test
    void allowExceptionGlobCannotBeStretchedOverExtraArguments() {
        assertThat(ruleOf("rm -rf /tmp/build/x /")).isEqualTo("fs-recursive-delete");
        assertThat(ruleOf("rm -rf /tmp/target && rm -rf /")).isEqualTo("fs-recursive-delete");
    }

    @Test
    void allowExceptionForOneRuleDoesNotLiftAnother() {
        assertThat(ruleOf("rm -rf /tmp/target; git push -f")).isEqualTo("git-force-push");
    }

    @Test
    void unparseableInputCannotBeExcepted() {
        assertThatThrownBy(() -> new CommandPolicy.AllowException("unparseable", "*"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ruleOf("echo 'oops")).isEqualTo("unparseable");
    }

    @Test
    void defaultsHaveAnEmptyPolicy() {
        assertThat(CommandGuard.defaults().policy()).isEqualTo(CommandPolicy.empty());
        assertThat(CommandGuard.defaults().check("terraform apply")).isEqualTo(Decision.allow());
    }

    @Test
    void globStarStopsAtSpaces() {
        assertThat(Glob.matches("rm -rf target*", "rm -rf target/classes")).isTrue();
        assertThat(Glob.matches("rm -rf target*", "rm -rf target /")).isFalse();
        assertThat(Glob.matches("a?c", "abc")).isTrue();
        assertThat(Glob.matches("*", "")).isTrue();
        assertThat(Glob.matches("abc", "abd")).isFalse();
    }
}
