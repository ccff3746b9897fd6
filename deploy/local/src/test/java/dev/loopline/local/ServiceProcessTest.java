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
            "GOOGLE_APPLICATION_CREDENTIALS"
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
}
