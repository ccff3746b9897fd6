package dev.loopline.k8s;

import static dev.loopline.k8s.Manifests.OVERLAYS;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Topics, users and ACLs (Strimzi) against what the services' application.properties say they read and write, and
 * the agent's autoscaling against the partitions it can spread over.
 */
class KafkaManifestsTest {

    static final String VERDICTS = "loopline.verdicts";
    static final String COMPLETIONS = "loopline.completions";
    static final String DEAD_LETTERS = "loopline.dead-letters";
    static final String PROPOSALS = "loopline.proposals";
    static final String CONTROL = "loopline.control";

    static List<String> kafkaServices() {
        return Manifests.SERVICES.stream()
                .filter(s -> ServiceProperties.of(s).usesKafka())
                .toList();
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void everyTopicAServiceUsesIsAKafkaTopicAndTheControlTopicIsCompacted(String overlay) {
        Map<String, GenericKubernetesResource> topics = topics(Manifests.of(overlay));
        for (String service : kafkaServices()) {
            ServiceProperties p = ServiceProperties.of(service);
            assertThat(topics.keySet())
                    .as(overlay + " topics used by " + service)
                    .containsAll(p.writes());
            assertThat(topics.keySet())
                    .as(overlay + " topics used by " + service)
                    .containsAll(p.reads());
        }
        assertThat(Manifests.get(topics.get(CONTROL), "spec", "config", "cleanup.policy"))
                .isEqualTo("compact");
        topics.forEach((name, topic) -> {
            if (!name.equals(CONTROL)) {
                assertThat(Manifests.get(topic, "spec", "config", "retention.ms"))
                        .as(overlay + " " + name + " retention")
                        .isNotNull();
            }
        });
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void eachKafkaUsersAclsAreExactlyWhatItsServiceReadsAndWrites(String overlay) {
        Manifests m = Manifests.of(overlay);
        SoftAssertions soft = new SoftAssertions();
        for (String service : kafkaServices()) {
            ServiceProperties p = ServiceProperties.of(service);
            GenericKubernetesResource user = m.findCustom("KafkaUser", service)
                    .orElseThrow(() -> new AssertionError(overlay + ": no KafkaUser " + service));
            soft.assertThat(Manifests.get(user, "spec", "authorization", "type"))
                    .isEqualTo("simple");
            soft.assertThat(Manifests.get(user, "spec", "authentication", "type"))
                    .as(service + " authentication")
                    .isIn("tls", "scram-sha-512");
            soft.assertThat(resources(user, "topic", "Write"))
                    .as(service + " writes")
                    .isEqualTo(p.writes());
            soft.assertThat(resources(user, "topic", "Read"))
                    .as(service + " reads")
                    .isEqualTo(p.reads());
            soft.assertThat(resources(user, "group", "Read"))
                    .as(service + " groups")
                    .isEqualTo(p.groups());
            soft.assertThat(resources(user, "cluster", "All"))
                    .as(service + " cluster rights")
                    .isEmpty();
        }
        soft.assertAll();
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void onlyTheGuardWritesVerdictsAndEachTopicHasOneWriter(String overlay) {
        Map<String, Set<String>> writers = writers(Manifests.of(overlay));
        assertThat(writers.get(VERDICTS)).as("writers of " + VERDICTS).containsExactly("guard-service");
        writers.forEach((topic, users) -> {
            switch (topic) {
                    // ADR 0015: state-service also ends stalled ticks (TickCompleted halted, timeout)
                case COMPLETIONS -> assertThat(users)
                        .as(topic)
                        .containsExactlyInAnyOrder("agent-service", "state-service");
                    // ADR 0016: the gate sends an approved change back through the guard when the base moved
                case PROPOSALS -> assertThat(users)
                        .as(topic)
                        .containsExactlyInAnyOrder("agent-service", "gate-service");
                    // every service dead-letters what it cannot handle; nothing consumes the topic
                case DEAD_LETTERS -> assertThat(users).as(topic).containsExactlyInAnyOrderElementsOf(kafkaServices());
                default -> assertThat(users).as("writers of " + topic).hasSize(1);
            }
        });
        assertThat(writers)
                .as("every topic has a writer")
                .containsKeys(topics(Manifests.of(overlay)).keySet().toArray(String[]::new));
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void everyTopicTheAgentConsumesInItsGroupHasAPartitionForEachAgentReplica(String overlay) {
        Manifests m = Manifests.of(overlay);
        int maxAgents = maxAgentReplicas(m);
        Map<String, GenericKubernetesResource> topics = topics(m);
        topics.forEach((name, topic) -> {
            if (name.equals(CONTROL)) {
                return; // read whole by every replica without a group (ADR 0006): partitions do not bound replicas
            }
            assertThat(Manifests.integer(topic, "spec", "partitions"))
                    .as("%s: partitions of %s >= the most agent-service replicas (%d)", overlay, name, maxAgents)
                    .isGreaterThanOrEqualTo(maxAgents);
        });
        assertThat(ServiceProperties.of("agent-service").groupReads())
                .allSatisfy(t -> assertThat(topics).containsKey(t));
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void theAgentScalesOnItsLagOnTicksWhenAnAutoscalerIsDeployed(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (GenericKubernetesResource so : m.custom("ScaledObject")) {
            assertThat(Manifests.get(so, "spec", "scaleTargetRef", "name")).isEqualTo("agent-service");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> triggers = (List<Map<String, Object>>) Manifests.get(so, "spec", "triggers");
            assertThat(triggers).hasSize(1);
            @SuppressWarnings("unchecked")
            Map<String, Object> meta = (Map<String, Object>) triggers.get(0).get("metadata");
            assertThat(triggers.get(0).get("type")).isEqualTo("kafka");
            assertThat(meta.get("topic")).isEqualTo("loopline.ticks");
            assertThat(Set.of(String.valueOf(meta.get("consumerGroup"))))
                    .isSubsetOf(ServiceProperties.of("agent-service").groups());
            assertThat(meta.get("bootstrapServers"))
                    .isEqualTo(ConfigKeysTest.environment(m, m.deployment("agent-service"))
                            .get("KAFKA_BOOTSTRAP_SERVERS"));
            assertThat(Integer.parseInt(String.valueOf(meta.get("lagThreshold"))))
                    .isPositive();
        }
        if (overlay.equals("prod")) {
            assertThat(m.custom("ScaledObject")).as("prod scales agents on lag").hasSize(1);
        }
    }

    /** The most agent-service replicas any autoscaler (KEDA or HPA) or the Deployment itself can make. */
    static int maxAgentReplicas(Manifests m) {
        int max = m.deployment("agent-service").getSpec().getReplicas();
        for (GenericKubernetesResource so : m.custom("ScaledObject")) {
            if ("agent-service".equals(Manifests.get(so, "spec", "scaleTargetRef", "name"))) {
                // KEDA's default maxReplicaCount is 100
                Object v = Manifests.get(so, "spec", "maxReplicaCount");
                max = Math.max(max, v == null ? 100 : ((Number) v).intValue());
            }
        }
        for (HorizontalPodAutoscaler hpa : m.all(HorizontalPodAutoscaler.class)) {
            if ("agent-service".equals(hpa.getSpec().getScaleTargetRef().getName())) {
                max = Math.max(max, hpa.getSpec().getMaxReplicas());
            }
        }
        return max;
    }

    static Map<String, GenericKubernetesResource> topics(Manifests m) {
        Map<String, GenericKubernetesResource> topics = new TreeMap<>();
        for (GenericKubernetesResource t : m.custom("KafkaTopic")) {
            Object name = Manifests.get(t, "spec", "topicName");
            topics.put(name == null ? t.getMetadata().getName() : name.toString(), t);
        }
        return topics;
    }

    /** Topic -> the KafkaUsers allowed to write it (Write or All, literal or prefix pattern). */
    static Map<String, Set<String>> writers(Manifests m) {
        Map<String, Set<String>> writers = new TreeMap<>();
        for (GenericKubernetesResource user : m.custom("KafkaUser")) {
            for (String topic : topics(m).keySet()) {
                if (allows(user, "topic", topic, "Write")) {
                    writers.computeIfAbsent(topic, t -> new TreeSet<>())
                            .add(user.getMetadata().getName());
                }
            }
        }
        return writers;
    }

    /** Literal resource names a user is granted {@code operation} (or All) on. */
    static Set<String> resources(GenericKubernetesResource user, String type, String operation) {
        Set<String> names = new TreeSet<>();
        for (Map<String, Object> acl : acls(user)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> resource = (Map<String, Object>) acl.get("resource");
            if (type.equals(resource.get("type"))
                    && operations(acl).stream().anyMatch(o -> o.equals(operation) || o.equals("All"))) {
                names.add(type.equals("cluster") ? "cluster" : String.valueOf(resource.get("name")));
            }
        }
        return names;
    }

    private static boolean allows(GenericKubernetesResource user, String type, String name, String operation) {
        for (Map<String, Object> acl : acls(user)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> resource = (Map<String, Object>) acl.get("resource");
            if (!type.equals(resource.get("type"))) {
                continue;
            }
            String pattern = String.valueOf(resource.getOrDefault("name", "*"));
            boolean prefix = "prefix".equals(resource.get("patternType"));
            boolean matches = pattern.equals("*") || (prefix ? name.startsWith(pattern) : name.equals(pattern));
            boolean denied = "deny".equals(acl.get("type"));
            if (matches && !denied && operations(acl).stream().anyMatch(o -> o.equals(operation) || o.equals("All"))) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> acls(GenericKubernetesResource user) {
        Object acls = Manifests.get(user, "spec", "authorization", "acls");
        return acls == null ? List.of() : (List<Map<String, Object>>) acls;
    }

    @SuppressWarnings("unchecked")
    private static List<String> operations(Map<String, Object> acl) {
        if (acl.get("operations") != null) {
            return (List<String>) acl.get("operations");
        }
        return acl.get("operation") == null ? List.of() : List.of(String.valueOf(acl.get("operation")));
    }
}
