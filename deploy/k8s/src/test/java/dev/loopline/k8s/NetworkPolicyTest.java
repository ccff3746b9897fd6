package dev.loopline.k8s;

import static dev.loopline.k8s.Manifests.OVERLAYS;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Default deny, then one policy per service that allows exactly its edges (docs/architecture.md). */
class NetworkPolicyTest {

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void everythingIsDeniedByDefault(String overlay) {
        assertThat(Manifests.of(overlay).all(NetworkPolicy.class)).anySatisfy(p -> {
            assertThat(isEmpty(p.getSpec().getPodSelector())).isTrue();
            assertThat(p.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
            assertThat(p.getSpec().getIngress()).isNullOrEmpty();
            assertThat(p.getSpec().getEgress()).isNullOrEmpty();
        });
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void aPolicyOfItsOwnCoversEveryServiceInBothDirections(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (Deployment d : m.all(Deployment.class)) {
            Map<String, String> labels = Manifests.podLabels(d);
            assertThat(m.all(NetworkPolicy.class))
                    .as(overlay + " NetworkPolicy for " + d.getMetadata().getName())
                    .anySatisfy(p -> {
                        assertThat(isEmpty(p.getSpec().getPodSelector())).isFalse();
                        assertThat(Manifests.selects(p.getSpec().getPodSelector(), labels))
                                .isTrue();
                        assertThat(p.getSpec().getPolicyTypes()).contains("Ingress", "Egress");
                    });
        }
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void agentsReachOnlyKafkaStateServiceDnsAndPublicAddresses(String overlay) {
        List<NetworkPolicyPeer> peers = egressPeers(Manifests.of(overlay), "agent-service");
        assertThat(peers).isNotEmpty();
        for (NetworkPolicyPeer peer : peers) {
            assertThat(kind(peer))
                    .as(overlay + " agent egress " + peer)
                    .isIn("kafka", "state-service", "dns", "public");
        }
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void onlyTheServicesWithADatabaseReachPostgres(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (Deployment d : m.all(Deployment.class)) {
            String name = d.getMetadata().getName();
            boolean reaches = egressPeers(m, name).stream().anyMatch(p -> kind(p).equals("postgres"));
            assertThat(reaches)
                    .as(overlay + " " + name + " reaches Postgres")
                    .isEqualTo(List.of("state-service", "scheduler-service", "gate-service")
                            .contains(name));
        }
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void theGuardReachesNoDatabaseAndNoOtherService(String overlay) {
        for (NetworkPolicyPeer peer : egressPeers(Manifests.of(overlay), "guard-service")) {
            assertThat(kind(peer))
                    .as(overlay + " guard egress " + peer)
                    .isIn("kafka", "state-service", "dns", "public");
        }
    }

    /** The egress peers of every policy that selects the service's pods (the namespace-wide ones included). */
    static List<NetworkPolicyPeer> egressPeers(Manifests m, String service) {
        Map<String, String> labels = Manifests.podLabels(m.deployment(service));
        List<NetworkPolicyPeer> peers = new ArrayList<>();
        for (NetworkPolicy p : m.all(NetworkPolicy.class)) {
            boolean applies = isEmpty(p.getSpec().getPodSelector())
                    || Manifests.selects(p.getSpec().getPodSelector(), labels);
            if (!applies || p.getSpec().getEgress() == null) {
                continue;
            }
            for (var rule : p.getSpec().getEgress()) {
                if (rule.getTo() == null || rule.getTo().isEmpty()) {
                    peers.add(new NetworkPolicyPeer()); // "to anywhere"
                } else {
                    peers.addAll(rule.getTo());
                }
            }
        }
        return peers;
    }

    /** What a peer is: kafka, postgres, dns, public (internet minus private ranges), a service's name, or "anything". */
    static String kind(NetworkPolicyPeer peer) {
        if (peer.getIpBlock() != null) {
            List<String> except = peer.getIpBlock().getExcept() == null
                    ? List.of()
                    : peer.getIpBlock().getExcept();
            return except.containsAll(List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")) ? "public" : "anything";
        }
        Map<String, String> pods =
                peer.getPodSelector() == null || peer.getPodSelector().getMatchLabels() == null
                        ? Map.of()
                        : peer.getPodSelector().getMatchLabels();
        if (peer.getNamespaceSelector() != null) {
            return "kube-dns".equals(pods.get("k8s-app")) ? "dns" : "namespace";
        }
        if (pods.containsKey("strimzi.io/cluster")) {
            return "kafka";
        }
        if (pods.containsKey("cnpg.io/cluster")) {
            return "postgres";
        }
        if (pods.containsKey("app.kubernetes.io/name")) {
            return pods.get("app.kubernetes.io/name");
        }
        return "anything";
    }

    private static boolean isEmpty(LabelSelector s) {
        return s == null
                || ((s.getMatchLabels() == null || s.getMatchLabels().isEmpty())
                        && (s.getMatchExpressions() == null
                                || s.getMatchExpressions().isEmpty()));
    }
}
