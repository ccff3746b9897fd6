package dev.loopline.k8s;

import static dev.loopline.k8s.Manifests.OVERLAYS;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** No secret is written into the manifests: services get them only by reference to Secrets made elsewhere. */
class SecretsTest {

    /** A variable or ConfigMap key whose name says it holds a credential. */
    static final Pattern CREDENTIAL_NAME =
            Pattern.compile("(?i).*(password|passwd|secret|token|api_?key|credential|jaas|private_?key).*");

    /** A value that looks like a credential whatever its name. */
    static final Pattern CREDENTIAL_VALUE = Pattern.compile("(?s).*("
            + "-----BEGIN [A-Z ]*PRIVATE KEY-----" // a PEM key
            + "|\\bsk-[A-Za-z0-9_-]{16,}" // OpenAI / Anthropic style keys
            + "|\\bgh[pousr]_[A-Za-z0-9]{20,}" // GitHub tokens
            + "|\\bglpat-[A-Za-z0-9_-]{16,}" // GitLab tokens
            + "|\\bxox[abp]-[A-Za-z0-9-]{10,}" // Slack tokens
            + "|\\bAKIA[0-9A-Z]{16}" // AWS access key ids
            + "|://[^/\\s:@]+:[^/\\s@]+@" // user:password@ in a URL
            + "|(?i)password=[^&;\\s]+" // a password parameter (JDBC URLs)
            + ").*");

    @Test
    void theBaseHoldsNoSecret() {
        Manifests base = Manifests.parse(
                "base", Manifests.Kubectl.kustomize(Manifests.k8sDir().resolve("base")));
        assertThat(base.all(Secret.class)).as("Secrets in the base").isEmpty();
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void noOverlayShipsASecretWithData(String overlay) {
        for (Secret s : Manifests.of(overlay).all(Secret.class)) {
            assertThat(s.getData())
                    .as(overlay + " Secret " + s.getMetadata().getName() + " data")
                    .isNullOrEmpty();
            assertThat(s.getStringData())
                    .as(overlay + " Secret " + s.getMetadata().getName() + " stringData")
                    .isNullOrEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void credentialsReachContainersOnlyThroughSecretKeyRefs(String overlay) {
        Manifests m = Manifests.of(overlay);
        SoftAssertions soft = new SoftAssertions();
        for (Deployment d : m.all(Deployment.class)) {
            for (Container c : WorkloadManifestsTest.containers(d)) {
                for (EnvVar var : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                    String where = overlay + " " + d.getMetadata().getName() + " env " + var.getName();
                    if (CREDENTIAL_NAME.matcher(var.getName()).matches()) {
                        soft.assertThat(var.getValueFrom() != null
                                        && var.getValueFrom().getSecretKeyRef() != null)
                                .as(where + " must come from a secretKeyRef")
                                .isTrue();
                    }
                    if (var.getValue() != null) {
                        soft.assertThat(var.getValue()).as(where).doesNotMatch(CREDENTIAL_VALUE);
                    }
                }
            }
        }
        for (ConfigMap cm : m.all(ConfigMap.class)) {
            Map<String, String> data = cm.getData() == null ? Map.of() : cm.getData();
            data.forEach((key, value) -> {
                String where = overlay + " ConfigMap " + cm.getMetadata().getName() + " " + key;
                soft.assertThat(CREDENTIAL_NAME.matcher(key).matches())
                        .as(where + ": a credential's name in a ConfigMap")
                        .isFalse();
                soft.assertThat(value).as(where).doesNotMatch(CREDENTIAL_VALUE);
            });
        }
        soft.assertAll();
    }

    @Test
    void theCredentialPatternsCatchWhatTheyAreFor() {
        assertThat("jdbc:postgresql://db:5432/state?user=state&password=hunter2")
                .matches(CREDENTIAL_VALUE);
        assertThat("https://gate:ghp_abcdefghijklmnopqrstuvwxyz@github.com").matches(CREDENTIAL_VALUE);
        assertThat("sk-ant-api03-abcdefghijklmnopqrstuvwxyz").matches(CREDENTIAL_VALUE);
        assertThat("jdbc:postgresql://loopline-postgres-rw:5432/state").doesNotMatch(CREDENTIAL_VALUE);
        assertThat("http://state-service:8085").doesNotMatch(CREDENTIAL_VALUE);
        assertThat(CREDENTIAL_NAME.matcher("LOOPLINE_AGENT_STATE_TOKEN").matches())
                .isTrue();
        assertThat(CREDENTIAL_NAME.matcher("KAFKA_SASL_JAAS_CONFIG").matches()).isTrue();
        assertThat(CREDENTIAL_NAME.matcher("LOOPLINE_AGENT_STATE_URL").matches())
                .isFalse();
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void onlyTheGateHoldsGitPushCredentials(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (Deployment d : m.all(Deployment.class)) {
            boolean mounts = d.getSpec().getTemplate().getSpec().getVolumes().stream()
                    .map(Volume::getSecret)
                    .anyMatch(s -> s != null && "loopline-gate-git".equals(s.getSecretName()));
            boolean references = ConfigKeysTest.environment(m, d).values().stream()
                    .anyMatch(v -> v != null && v.startsWith("secret:loopline-gate-git/"));
            assertThat(mounts || references)
                    .as(overlay + " " + d.getMetadata().getName() + " holds the git push credentials")
                    .isEqualTo(d.getMetadata().getName().equals("gate-service"));
        }
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void eachServiceUsesItsOwnKafkaIdentity(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (Deployment d : m.all(Deployment.class)) {
            String name = d.getMetadata().getName();
            List<String> userSecrets = d.getSpec().getTemplate().getSpec().getVolumes().stream()
                    .map(Volume::getSecret)
                    .filter(s -> s != null
                            && m.findCustom("KafkaUser", s.getSecretName()).isPresent())
                    .map(s -> s.getSecretName())
                    .toList();
            if (ServiceProperties.of(name).usesKafka()) {
                assertThat(userSecrets).as(overlay + " " + name + " Kafka user").containsExactly(name);
                assertThat(ConfigKeysTest.environment(m, d))
                        .as(overlay + " " + name)
                        .containsEntry("KAFKA_SSL_KEYSTORE_PASSWORD", "secret:" + name + "/user.password");
            } else {
                assertThat(userSecrets)
                        .as(overlay + " " + name + " has no Kafka channel")
                        .isEmpty();
            }
        }
    }
}
