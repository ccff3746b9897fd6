package dev.loopline.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One overlay rendered by {@code kubectl kustomize} (once per test run) and read with the fabric8 Kubernetes model.
 * Kinds the model knows (Deployment, NetworkPolicy, ...) come back typed; custom resources (Strimzi, CloudNativePG,
 * KEDA) as {@link GenericKubernetesResource}.
 */
final class Manifests {

    /** The services, as their module directories and Deployments are named. */
    static final List<String> SERVICES = List.of(
            "state-service", "scheduler-service", "agent-service", "guard-service", "gate-service", "dashboard");

    private static final Map<String, Manifests> RENDERED = new ConcurrentHashMap<>();

    final String overlay;
    final List<HasMetadata> resources;

    private Manifests(String overlay, List<HasMetadata> resources) {
        this.overlay = overlay;
        this.resources = resources;
    }

    static Path k8sDir() {
        return Path.of(System.getProperty("loopline.k8s.dir", "."))
                .toAbsolutePath()
                .normalize();
    }

    static Path repoRoot() {
        return k8sDir().resolve("../..").normalize();
    }

    /** {@code @MethodSource(OVERLAYS)}: a test per overlay. */
    static final String OVERLAYS = "dev.loopline.k8s.Manifests#overlays";

    /** Every directory under {@code overlays/}: a new overlay is checked without touching the tests. */
    static List<String> overlays() {
        try (Stream<Path> dirs = Files.list(k8sDir().resolve("overlays"))) {
            return dirs.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + k8sDir().resolve("overlays"), e);
        }
    }

    static Manifests of(String overlay) {
        return RENDERED.computeIfAbsent(
                overlay,
                o -> parse(o, Kubectl.kustomize(k8sDir().resolve("overlays").resolve(o))));
    }

    static Manifests parse(String name, String yaml) {
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (doc.isBlank()) {
                continue;
            }
            out.add(Serialization.unmarshal(doc, HasMetadata.class));
        }
        return new Manifests(name, List.copyOf(out));
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<GenericKubernetesResource> custom(String kind) {
        return resources.stream()
                .filter(r -> r instanceof GenericKubernetesResource && kind.equals(r.getKind()))
                .map(GenericKubernetesResource.class::cast)
                .toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream()
                .filter(r -> name.equals(r.getMetadata().getName()))
                .findFirst();
    }

    Optional<GenericKubernetesResource> findCustom(String kind, String name) {
        return custom(kind).stream()
                .filter(r -> name.equals(r.getMetadata().getName()))
                .findFirst();
    }

    Deployment deployment(String service) {
        return find(Deployment.class, service)
                .orElseThrow(() -> new AssertionError(overlay + ": no Deployment " + service));
    }

    /** The pod labels of a Deployment's template. */
    static Map<String, String> podLabels(Deployment d) {
        return d.getSpec().getTemplate().getMetadata().getLabels();
    }

    /** Whether a label selector (matchLabels and matchExpressions In/NotIn/Exists) selects these labels. */
    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> match = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        boolean labelsMatch =
                match.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
        boolean expressionsMatch = selector.getMatchExpressions() == null
                || selector.getMatchExpressions().stream().allMatch(e -> switch (e.getOperator()) {
                    case "In" -> e.getValues().contains(labels.get(e.getKey()));
                    case "NotIn" -> !e.getValues().contains(labels.get(e.getKey()));
                    case "Exists" -> labels.containsKey(e.getKey());
                    case "DoesNotExist" -> !labels.containsKey(e.getKey());
                    default -> throw new IllegalArgumentException("unknown operator " + e.getOperator());
                });
        return labelsMatch && expressionsMatch;
    }

    /** A value at a path of a custom resource, e.g. {@code int(r, "spec", "partitions")}. */
    static Object get(GenericKubernetesResource r, Object... path) {
        return r.get(path);
    }

    static int integer(GenericKubernetesResource r, Object... path) {
        Object v = Objects.requireNonNull(
                r.get(path), () -> r.getKind() + " " + r.getMetadata().getName() + " has no " + List.of(path));
        return ((Number) v).intValue();
    }

    /** Runs kubectl; a missing kubectl is a failure that says how to install it, never a skip. */
    static final class Kubectl {
        static final String INSTALL = "kubectl (v1.32, with its built-in kustomize v5.5) is needed to render the"
                + " manifests and was not found on the PATH. Install it:\n"
                + "  curl -fsSLO https://dl.k8s.io/release/v1.32.4/bin/linux/amd64/kubectl"
                + " && install -m 0755 kubectl /usr/local/bin/kubectl\n"
                + "(or your package manager's kubectl, see https://kubernetes.io/docs/tasks/tools/); or set"
                + " LOOPLINE_KUBECTL to its path.";

        static String binary() {
            String configured = System.getenv("LOOPLINE_KUBECTL");
            if (configured != null && !configured.isBlank()) {
                return configured;
            }
            String path = Objects.requireNonNullElse(System.getenv("PATH"), "");
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, "kubectl");
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
            throw new AssertionError(INSTALL);
        }

        static String kustomize(Path dir) {
            String kubectl = binary();
            try {
                Path errors = Files.createTempFile("kustomize", ".err");
                Process p = new ProcessBuilder(kubectl, "kustomize", dir.toString())
                        .redirectError(errors.toFile())
                        .start();
                byte[] stdout = p.getInputStream().readAllBytes();
                boolean done = p.waitFor(60, TimeUnit.SECONDS);
                String stderr = Files.readString(errors);
                Files.deleteIfExists(errors);
                if (!done) {
                    p.destroyForcibly();
                    throw new AssertionError("kubectl kustomize " + dir + " did not finish within 60 s");
                }
                if (p.exitValue() != 0) {
                    throw new AssertionError(
                            "kubectl kustomize " + dir + " failed (exit " + p.exitValue() + "):\n" + stderr);
                }
                return new String(stdout, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new AssertionError("cannot run " + kubectl + ": " + e.getMessage() + "\n" + INSTALL, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while rendering " + dir, e);
            }
        }
    }
}
