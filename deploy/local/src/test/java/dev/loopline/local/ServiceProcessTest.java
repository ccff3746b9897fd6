package dev.loopline.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceProcessTest {

    @Test
    void theUsersCredentialsAreNotInheritedByTheServices() {
        for (String name : new String[] {
            "ANTHROPIC_API_KEY",
            "OPENAI_BASE_URL",
            "AWS_SECRET_ACCESS_KEY",
            "GITHUB_TOKEN",
            "GH_TOKEN",
            "NPM_TOKEN",
            "SLACK_SIGNING_SECRET",
            "PGPASSWORD_X_PASSWORD",
            "DEEPSEEK_API_KEY",
            "LOOPLINE_TOKEN",
            "GOOGLE_APPLICATION_CREDENTIALS",
            "LOOPLINE_SLACK_WEBHOOK_URL",
            "LOOPLINE_SLACK_CHANNEL",
            "LOOPLINE_OUTBOUND_WEBHOOKS_URLS",
            "LOOPLINE_PR_PROVIDER"
        }) {
            assertThat(ServiceProcess.isCredential(name)).as(name).isTrue();
        }
    }

    @Test
    void ordinaryVariablesAreInheritedAsBefore() {
        for (String name :
                new String[] {"PATH", "HOME", "LANG", "JAVA_HOME", "LOOPLINE_GUARD_SANDBOX_MODE", "TMPDIR"}) {
            assertThat(ServiceProcess.isCredential(name)).as(name).isFalse();
        }
    }

    @Test
    void chatAndPullRequestSettingsReachTheGateOnlyFromTheUsersEnvironment() {
        java.util.Map<String, String> user = java.util.Map.of(
                "LOOPLINE_SLACK_SIGNING_SECRET", "s3cret",
                "LOOPLINE_PR_TOKEN", "ghp_x",
                "LOOPLINE_SLACK_CHANNEL", " ",
                "ANTHROPIC_API_KEY", "sk-ant");
        assertThat(LocalStack.fromUser(LocalStack.GATE_VARIABLES, user::get))
                .containsOnly(
                        java.util.Map.entry("LOOPLINE_SLACK_SIGNING_SECRET", "s3cret"),
                        java.util.Map.entry("LOOPLINE_PR_TOKEN", "ghp_x"));
        assertThat(LocalStack.fromUser(LocalStack.MODEL_VARIABLES, user::get))
                .containsOnly(java.util.Map.entry("ANTHROPIC_API_KEY", "sk-ant"));
        assertThat(LocalStack.fromUser(
                        LocalStack.DASHBOARD_OIDC_VARIABLES,
                        java.util.Map.of(
                                "LOOPLINE_DASHBOARD_OIDC_ISSUER", "https://sso.example.com",
                                "LOOPLINE_SLACK_SIGNING_SECRET", "s3cret")::get))
                .containsOnly(java.util.Map.entry("LOOPLINE_DASHBOARD_OIDC_ISSUER", "https://sso.example.com"));
        // and no service inherits them: the gate gets them only because LocalStack hands them over
        for (String name : LocalStack.GATE_VARIABLES) {
            assertThat(ServiceProcess.isCredential(name)).as(name).isTrue();
        }
    }
}
