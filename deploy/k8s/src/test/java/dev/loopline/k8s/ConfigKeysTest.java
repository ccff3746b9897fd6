package dev.loopline.k8s;

import static dev.loopline.k8s.Manifests.OVERLAYS;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every variable a Deployment hands its service (env, and envFrom ConfigMaps) is a setting the service reads: a
 * typo (LOOPLINE_AGENT_STATE_ULR) would otherwise be ignored silently and the service would start without it.
 */
class ConfigKeysTest {

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void everyVariableSetInADeploymentIsAKeyOfItsServicesApplicationProperties(String overlay) {
        Manifests m = Manifests.of(overlay);
        SoftAssertions soft = new SoftAssertions();
        for (Deployment d : m.all(Deployment.class)) {
            ServiceProperties props = ServiceProperties.of(d.getMetadata().getName());
            for (String variable : environment(m, d).keySet()) {
                soft.assertThat(props.reader(variable))
                        .as(
                                "%s: %s sets %s, but %s neither sets nor documents %s (nor is it a Kafka client"
                                        + " setting); add it there (a commented line documents an optional key) or fix"
                                        + " the name",
                                overlay, d.getMetadata().getName(), variable, props.file, variable)
                        .isNotNull();
            }
        }
        soft.assertAll();
    }

    @Test
    void theEnvironmentNameMappingIsSmallRyes() {
        assertThat(ServiceProperties.envName("loopline.agent.work-dir")).isEqualTo("LOOPLINE_AGENT_WORK_DIR");
        assertThat(ServiceProperties.envName("loopline.budget.prices.\"gpt-4.1\".input-per-mtok"))
                .isEqualTo("LOOPLINE_BUDGET_PRICES__GPT_4_1__INPUT_PER_MTOK");
        ServiceProperties agent = ServiceProperties.of("agent-service");
        assertThat(agent.reader("LOOPLINE_AGENT_WORK_DIR")).isEqualTo("property loopline.agent.work-dir");
        assertThat(agent.reader("LOOPLINE_AGENT_STATE_ULR")).isNull();
        assertThat(agent.reader("KAFKA_SSL_KEYSTORE_LOCATION")).isEqualTo("Kafka client setting ssl.keystore.location");
        assertThat(agent.reader("KAFKA_SSL_KEYSTORE_LOCATON")).isNull();
    }

    /** The variables of a Deployment's containers: envFrom ConfigMaps first, then env (which wins, as in a pod). */
    static Map<String, String> environment(Manifests m, Deployment d) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Container c : WorkloadManifestsTest.containers(d)) {
            if (c.getEnvFrom() != null) {
                for (EnvFromSource from : c.getEnvFrom()) {
                    if (from.getConfigMapRef() != null) {
                        ConfigMap cm = m.find(
                                        ConfigMap.class, from.getConfigMapRef().getName())
                                .orElseThrow(
                                        () -> new AssertionError(d.getMetadata().getName() + ": no ConfigMap "
                                                + from.getConfigMapRef().getName()));
                        if (cm.getData() != null) {
                            env.putAll(cm.getData());
                        }
                    }
                    if (from.getSecretRef() != null) {
                        throw new AssertionError(d.getMetadata().getName() + " takes a whole Secret ("
                                + from.getSecretRef().getName() + ") with envFrom: name each key with secretKeyRef");
                    }
                }
            }
            if (c.getEnv() != null) {
                for (EnvVar var : c.getEnv()) {
                    env.put(var.getName(), describe(var));
                }
            }
        }
        return env;
    }

    private static String describe(EnvVar var) {
        if (var.getValueFrom() == null) {
            return var.getValue();
        }
        if (var.getValueFrom().getSecretKeyRef() != null) {
            return "secret:" + var.getValueFrom().getSecretKeyRef().getName() + "/"
                    + var.getValueFrom().getSecretKeyRef().getKey();
        }
        return "ref:" + var.getValueFrom();
    }
}
