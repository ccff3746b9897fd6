package dev.loopline.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestEnvironmentTest {

    @Test
    void onlyTheAllowlistReachesTheTestCommandWhateverTheGuardHolds() {
        Map<String, String> host = new HashMap<>();
        host.put("PATH", "/usr/bin:/bin");
        host.put("JAVA_HOME", "/usr/lib/jvm/java-17");
        host.put("HOME", "/root");
        host.put("LOOPLINE_AUTH_TOKEN", "t");
        host.put("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        host.put("GITHUB_TOKEN", "ghp_x");
        host.put("AWS_SECRET_ACCESS_KEY", "x");
        host.put("ANTHROPIC_API_KEY", "sk-ant");
        host.put("OPENAI_API_KEY", "sk");
        host.put("SSH_AUTH_SOCK", "/run/ssh.sock");
        host.put("LD_PRELOAD", "/tmp/evil.so");
        host.put("MAVEN_OPTS", "-Dx");

        Map<String, String> env = TestEnvironment.minimal(host, "/tmp/home", "/tmp");

        assertThat(env)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "PATH", "/usr/bin:/bin",
                        "JAVA_HOME", "/usr/lib/jvm/java-17",
                        "HOME", "/tmp/home",
                        "TMPDIR", "/tmp",
                        "LANG", "C.UTF-8",
                        "CI", "true"));
    }

    @Test
    void aMissingPathFallsBackAndABlankJavaHomeIsLeftOut() {
        Map<String, String> env = TestEnvironment.minimal(Map.of("JAVA_HOME", " "), "/h", "/t");

        assertThat(env).containsEntry("PATH", "/usr/local/bin:/usr/bin:/bin").doesNotContainKey("JAVA_HOME");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "LOOPLINE_AUTH_TOKEN",
                "LOOPLINE_AGENT_STATE_URL",
                "GITHUB_TOKEN",
                "GH_TOKEN",
                "GITLAB_PRIVATE_TOKEN",
                "AWS_ACCESS_KEY_ID",
                "AWS_SESSION_TOKEN",
                "ANTHROPIC_API_KEY",
                "OPENAI_BASE_URL",
                "AZURE_CLIENT_SECRET",
                "GOOGLE_APPLICATION_CREDENTIALS",
                "NPM_CONFIG_USERCONFIG",
                "KUBECONFIG",
                "DOCKER_AUTH_CONFIG",
                "SSH_AUTH_SOCK",
                "VAULT_ADDR",
                "HF_TOKEN",
                "SLACK_SIGNING_SECRET",
                "DB_PASSWORD",
                "STRIPE_KEY",
                "my_api_key",
                "CI_JOB_TOKEN",
                "SENTRY_DSN_SECRET"
            })
    void credentialNamesAreRecognised(String name) {
        assertThat(TestEnvironment.isCredentialName(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "PATH",
                "HOME",
                "TMPDIR",
                "LANG",
                "CI",
                "JAVA_HOME",
                "MONKEY",
                "KEYBOARD_LAYOUT",
                "GIT_AUTHOR_NAME",
                "MAVEN_OPTS",
                "TERM"
            })
    void ordinaryNamesAreNotCredentials(String name) {
        assertThat(TestEnvironment.isCredentialName(name)).isFalse();
    }
}
