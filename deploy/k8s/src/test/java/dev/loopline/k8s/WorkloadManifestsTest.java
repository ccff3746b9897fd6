package dev.loopline.k8s;

import static dev.loopline.k8s.Manifests.OVERLAYS;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every overlay renders, and every workload in it is probed, bounded, locked down and wired to its config. */
class WorkloadManifestsTest {

    @Test
    void theDevAndProdOverlaysExist() {
        assertThat(Manifests.overlays()).contains("dev", "prod");
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void everyServiceIsDeployedOnce(String overlay) {
        Manifests m = Manifests.of(overlay);
        assertThat(m.all(Deployment.class))
                .extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(Manifests.SERVICES);
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void everyContainerHasHealthProbesFromQuarkus(String overlay) {
        SoftAssertions soft = new SoftAssertions();
        for (Deployment d : Manifests.of(overlay).all(Deployment.class)) {
            for (Container c : containers(d)) {
                String where = overlay + " " + d.getMetadata().getName() + "/" + c.getName();
                soft.assertThat(path(c.getStartupProbe()))
                        .as(where + " startup probe")
                        .isEqualTo("/q/health/started");
                soft.assertThat(path(c.getLivenessProbe()))
                        .as(where + " liveness probe")
                        .isEqualTo("/q/health/live");
                soft.assertThat(path(c.getReadinessProbe()))
                        .as(where + " readiness probe")
                        .isEqualTo("/q/health/ready");
                // the probes hit the port the service listens on (its quarkus.http.port)
                int port = ServiceProperties.of(d.getMetadata().getName()).httpPort();
                soft.assertThat(c.getPorts()).as(where + " ports").anySatisfy(p -> assertThat(p.getContainerPort())
                        .isEqualTo(port));
            }
        }
        soft.assertAll();
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void everyContainerHasRequestsAndLimits(String overlay) {
        SoftAssertions soft = new SoftAssertions();
        for (Deployment d : Manifests.of(overlay).all(Deployment.class)) {
            for (Container c : containers(d)) {
                String where = overlay + " " + d.getMetadata().getName() + "/" + c.getName();
                var resources = c.getResources();
                soft.assertThat(resources).as(where + " resources").isNotNull();
                if (resources == null) {
                    continue;
                }
                for (String kind : List.of("cpu", "memory")) {
                    Quantity request = resources.getRequests() == null
                            ? null
                            : resources.getRequests().get(kind);
                    Quantity limit = resources.getLimits() == null
                            ? null
                            : resources.getLimits().get(kind);
                    soft.assertThat(request).as(where + " " + kind + " request").isNotNull();
                    soft.assertThat(limit).as(where + " " + kind + " limit").isNotNull();
                    if (request != null && limit != null) {
                        soft.assertThat(request.getNumericalAmount())
                                .as(where + " " + kind + " request <= limit")
                                .isLessThanOrEqualTo(limit.getNumericalAmount());
                    }
                }
            }
        }
        soft.assertAll();
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void everyContainerRunsRestricted(String overlay) {
        SoftAssertions soft = new SoftAssertions();
        for (Deployment d : Manifests.of(overlay).all(Deployment.class)) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            PodSecurityContext podSc =
                    pod.getSecurityContext() == null ? new PodSecurityContext() : pod.getSecurityContext();
            soft.assertThat(pod.getHostNetwork())
                    .as(d.getMetadata().getName() + " hostNetwork")
                    .isNotEqualTo(true);
            soft.assertThat(pod.getHostPID())
                    .as(d.getMetadata().getName() + " hostPID")
                    .isNotEqualTo(true);
            for (Container c : containers(d)) {
                String where = overlay + " " + d.getMetadata().getName() + "/" + c.getName();
                SecurityContext sc = c.getSecurityContext() == null ? new SecurityContext() : c.getSecurityContext();
                boolean nonRoot = Boolean.TRUE.equals(sc.getRunAsNonRoot())
                        || (sc.getRunAsNonRoot() == null && Boolean.TRUE.equals(podSc.getRunAsNonRoot()));
                soft.assertThat(nonRoot).as(where + " runAsNonRoot").isTrue();
                Long uid = sc.getRunAsUser() != null ? sc.getRunAsUser() : podSc.getRunAsUser();
                soft.assertThat(uid).as(where + " runAsUser").isNotNull().isNotZero();
                soft.assertThat(sc.getReadOnlyRootFilesystem())
                        .as(where + " readOnlyRootFilesystem")
                        .isTrue();
                soft.assertThat(sc.getAllowPrivilegeEscalation())
                        .as(where + " allowPrivilegeEscalation")
                        .isFalse();
                soft.assertThat(sc.getPrivileged()).as(where + " privileged").isNotEqualTo(true);
                Capabilities caps = sc.getCapabilities() == null ? new Capabilities() : sc.getCapabilities();
                soft.assertThat(caps.getDrop()).as(where + " capabilities.drop").containsExactly("ALL");
                soft.assertThat(caps.getAdd()).as(where + " capabilities.add").isNullOrEmpty();
                String seccomp = sc.getSeccompProfile() != null
                        ? sc.getSeccompProfile().getType()
                        : podSc.getSeccompProfile() == null
                                ? null
                                : podSc.getSeccompProfile().getType();
                soft.assertThat(seccomp).as(where + " seccompProfile").isEqualTo("RuntimeDefault");
                // a read-only root needs a writable /tmp (JVM, Vert.x) from an emptyDir
                soft.assertThat(emptyDirMountPaths(pod, c))
                        .as(where + " emptyDir mounts")
                        .contains("/tmp");
            }
        }
        soft.assertAll();
    }

    @Test
    void servicesWithWorktreesWriteThemToAnEmptyDirAndPointTheirWorkDirThere() {
        for (String overlay : Manifests.overlays()) {
            Manifests m = Manifests.of(overlay);
            for (String service : List.of("agent-service", "guard-service", "gate-service")) {
                Deployment d = m.deployment(service);
                String variable = "LOOPLINE_" + service.replace("-service", "").toUpperCase() + "_WORK_DIR";
                String workDir = ConfigKeysTest.environment(m, d).get(variable);
                assertThat(workDir).as(overlay + " " + service + " " + variable).isNotNull();
                assertThat(emptyDirMountPaths(
                                d.getSpec().getTemplate().getSpec(),
                                containers(d).get(0)))
                        .as(overlay + " " + service + " emptyDir mounts")
                        .contains(workDir);
            }
        }
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void aStoppingAgentDrainsWithinItsGracePeriodWithTimeLeftToEndAndCommit(String overlay) {
        Manifests m = Manifests.of(overlay);
        Deployment d = m.deployment("agent-service");
        String drain = ConfigKeysTest.environment(m, d).get("LOOPLINE_AGENT_DRAIN_TIMEOUT");
        assertThat(drain).as(overlay + " LOOPLINE_AGENT_DRAIN_TIMEOUT").isNotNull();
        long drainSeconds = java.time.Duration.parse("PT" + drain.toUpperCase(java.util.Locale.ROOT))
                .toSeconds();
        long grace = d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        // the agent ends what is still running after the drain (20 s) and commits; Kubernetes kills it at the grace
        assertThat(grace - drainSeconds)
                .as(overlay + " terminationGracePeriodSeconds " + grace + " - drain timeout " + drainSeconds)
                .isGreaterThanOrEqualTo(30);
        // a maker run (shell-timeout, model run-timeout: 10 min) started just before SIGTERM can still finish
        assertThat(drainSeconds).as(overlay + " drain timeout").isGreaterThanOrEqualTo(600);
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void everyServiceHasItsAccountServiceDisruptionBudgetAndConfigMap(String overlay) {
        Manifests m = Manifests.of(overlay);
        SoftAssertions soft = new SoftAssertions();
        for (Deployment d : m.all(Deployment.class)) {
            String name = d.getMetadata().getName();
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            Map<String, String> labels = Manifests.podLabels(d);
            soft.assertThat(pod.getAutomountServiceAccountToken())
                    .as(name + " pod automount")
                    .isFalse();
            ServiceAccount account =
                    m.find(ServiceAccount.class, pod.getServiceAccountName()).orElse(null);
            soft.assertThat(account)
                    .as(name + " ServiceAccount " + pod.getServiceAccountName())
                    .isNotNull();
            if (account != null) {
                soft.assertThat(account.getAutomountServiceAccountToken())
                        .as(name + " account automount")
                        .isFalse();
            }
            soft.assertThat(m.all(Service.class)).as(name + " Service").anySatisfy(s -> {
                assertThat(s.getSpec().getSelector()).isNotEmpty();
                assertThat(labels).containsAllEntriesOf(s.getSpec().getSelector());
            });
            soft.assertThat(m.all(PodDisruptionBudget.class))
                    .as(name + " PodDisruptionBudget")
                    .anySatisfy(b -> assertThat(Manifests.selects(b.getSpec().getSelector(), labels))
                            .isTrue());
            List<String> configMaps = containers(d).stream()
                    .flatMap(c -> c.getEnvFrom() == null ? Stream.empty() : c.getEnvFrom().stream())
                    .filter(e -> e.getConfigMapRef() != null)
                    .map(e -> e.getConfigMapRef().getName())
                    .toList();
            soft.assertThat(configMaps).as(name + " config from a ConfigMap").contains(name + "-config");
            for (String cm : configMaps) {
                soft.assertThat(m.find(ConfigMap.class, cm))
                        .as(name + " ConfigMap " + cm)
                        .isPresent();
            }
            for (Volume v : pod.getVolumes()) {
                if (v.getConfigMap() != null) {
                    soft.assertThat(m.find(ConfigMap.class, v.getConfigMap().getName()))
                            .as(name + " volume ConfigMap " + v.getConfigMap().getName())
                            .isPresent();
                }
            }
        }
        soft.assertAll();
    }

    @Test
    void prodRunsEveryServiceHighlyAvailableAndDevOneReplicaEach() {
        for (Deployment d : Manifests.of("prod").all(Deployment.class)) {
            assertThat(d.getSpec().getReplicas())
                    .as("prod " + d.getMetadata().getName())
                    .isGreaterThanOrEqualTo(2);
        }
        for (Deployment d : Manifests.of("dev").all(Deployment.class)) {
            assertThat(d.getSpec().getReplicas())
                    .as("dev " + d.getMetadata().getName())
                    .isEqualTo(1);
        }
        Manifests prod = Manifests.of("prod");
        assertThat(Manifests.integer(prod.custom("KafkaNodePool").get(0), "spec", "replicas"))
                .isEqualTo(3);
        assertThat(Manifests.integer(
                        prod.findCustom("Cluster", "loopline-postgres").orElseThrow(), "spec", "instances"))
                .isEqualTo(3);
        for (var topic : prod.custom("KafkaTopic")) {
            assertThat(Manifests.integer(topic, "spec", "replicas"))
                    .as(topic.getMetadata().getName())
                    .isEqualTo(3);
        }
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void postgresIsBackedUpToObjectStorageWithCredentialsByReference(String overlay) {
        var cluster =
                Manifests.of(overlay).findCustom("Cluster", "loopline-postgres").orElseThrow();
        assertThat(Manifests.get(cluster, "spec", "backup", "barmanObjectStore", "destinationPath"))
                .asString()
                .startsWith("s3://");
        assertThat(Manifests.get(
                        cluster, "spec", "backup", "barmanObjectStore", "s3Credentials", "accessKeyId", "name"))
                .isEqualTo("loopline-backup-s3");
        assertThat(Manifests.get(cluster, "spec", "backup", "retentionPolicy")).isNotNull();
        assertThat(Manifests.of(overlay).custom("ScheduledBackup"))
                .anySatisfy(b ->
                        assertThat(Manifests.get(b, "spec", "cluster", "name")).isEqualTo("loopline-postgres"));
        // one database per service with state: state (bootstrap), scheduler, gate
        assertThat(Manifests.get(cluster, "spec", "bootstrap", "initdb", "database"))
                .isEqualTo("state");
        assertThat(Manifests.of(overlay).custom("Database"))
                .extracting(db -> Manifests.get(db, "spec", "name"))
                .containsExactlyInAnyOrder("scheduler", "gate");
    }

    static List<Container> containers(Deployment d) {
        List<Container> all =
                new ArrayList<>(d.getSpec().getTemplate().getSpec().getContainers());
        if (d.getSpec().getTemplate().getSpec().getInitContainers() != null) {
            all.addAll(d.getSpec().getTemplate().getSpec().getInitContainers());
        }
        return all;
    }

    private static String path(Probe probe) {
        return probe == null || probe.getHttpGet() == null
                ? null
                : probe.getHttpGet().getPath();
    }

    private static List<String> emptyDirMountPaths(PodSpec pod, Container c) {
        List<String> emptyDirs = pod.getVolumes().stream()
                .filter(v -> v.getEmptyDir() != null)
                .map(Volume::getName)
                .toList();
        return c.getVolumeMounts().stream()
                .filter(vm -> emptyDirs.contains(vm.getName()))
                .map(vm -> vm.getMountPath())
                .toList();
    }
}
