package dev.loopline.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The services' Dockerfiles, checked statically (no image registry or container engine is reachable here): pinned
 * bases, nothing fetched by ADD, the Quarkus fast-jar layout, a non-root numeric user that matches the Deployments,
 * the tools each service needs.
 */
class DockerfileTest {

    /** A full version (17.0.13, 20.18.1) in a tag, or a digest. */
    private static final Pattern PINNED =
            Pattern.compile("^[^:@\\s]+(:[^@\\s]*\\d+\\.\\d+\\.\\d+[^@\\s]*)?(@sha256:[0-9a-f]{64})?$");

    record Instruction(String keyword, String args) {}

    static Stream<String> services() {
        return Manifests.SERVICES.stream();
    }

    static Path dockerfile(String service) {
        return Manifests.repoRoot().resolve(service).resolve("src/main/docker/Dockerfile.jvm");
    }

    /** Instructions with continuation lines joined and comments dropped. */
    static List<Instruction> parse(String service) {
        String text;
        try {
            text = Files.readString(dockerfile(service));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dockerfile(service), e);
        }
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            boolean continues = trimmed.endsWith("\\");
            current.append(continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed)
                    .append(' ');
            if (!continues) {
                String joined = current.toString().strip();
                int space = joined.indexOf(' ');
                out.add(new Instruction(
                        joined.substring(0, space).toUpperCase(Locale.ROOT),
                        joined.substring(space + 1).strip()));
                current.setLength(0);
            }
        }
        return out;
    }

    static List<String> args(List<Instruction> instructions, String keyword) {
        return instructions.stream()
                .filter(i -> i.keyword().equals(keyword))
                .map(Instruction::args)
                .toList();
    }

    @ParameterizedTest
    @MethodSource("services")
    void baseImagesArePinnedToAFullVersionOrADigest(String service) {
        Set<String> stages = new HashSet<>();
        List<String> froms = args(parse(service), "FROM");
        assertThat(froms).as(service + " FROM").isNotEmpty();
        for (String from : froms) {
            String[] parts = from.split("\\s+");
            String image = parts[0];
            if (parts.length == 3 && parts[1].equalsIgnoreCase("AS")) {
                stages.add(parts[2]);
            }
            if (stages.contains(image)) {
                continue;
            }
            assertThat(image)
                    .as(service + " FROM " + image)
                    .doesNotEndWith(":latest")
                    .matches(PINNED);
            assertThat(image)
                    .as(service + " FROM " + image + " has a tag or digest")
                    .containsAnyOf(":", "@sha256:");
        }
    }

    @ParameterizedTest
    @MethodSource("services")
    void nothingIsFetchedByAddOrPipedIntoAShell(String service) {
        List<Instruction> instructions = parse(service);
        assertThat(args(instructions, "ADD")).as(service + " ADD (use COPY)").isEmpty();
        for (String run : args(instructions, "RUN")) {
            assertThat(run).as(service + " RUN").doesNotContainPattern("(curl|wget)[^|]*\\|\\s*(ba)?sh");
        }
    }

    @ParameterizedTest
    @MethodSource("services")
    void itRunsTheQuarkusFastJarAsANonRootNumericUser(String service) {
        List<Instruction> instructions = parse(service);
        assertThat(args(instructions, "COPY"))
                .as(service + " COPY")
                .contains(
                        "target/quarkus-app/lib/ /app/lib/",
                        "target/quarkus-app/*.jar /app/",
                        "target/quarkus-app/app/ /app/app/",
                        "target/quarkus-app/quarkus/ /app/quarkus/");
        List<String> users = args(instructions, "USER");
        assertThat(users).as(service + " USER").isNotEmpty();
        String user = users.get(users.size() - 1);
        Matcher uid = Pattern.compile("^(\\d+)(:\\d+)?$").matcher(user);
        assertThat(uid.matches())
                .as(service + " USER " + user + " is numeric (so runAsNonRoot can check it)")
                .isTrue();
        assertThat(Long.parseLong(uid.group(1))).as(service + " uid").isNotZero();
        // the user is the last word: nothing after it runs as root
        int lastUser = -1;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("USER")) {
                lastUser = i;
            }
        }
        assertThat(instructions.subList(lastUser, instructions.size()))
                .extracting(Instruction::keyword)
                .doesNotContain("RUN", "COPY");
        List<String> entrypoint = args(instructions, "ENTRYPOINT");
        assertThat(entrypoint).as(service + " ENTRYPOINT").hasSize(1);
        assertThat(entrypoint.get(0)).startsWith("[").contains("\"-jar\"", "\"/app/quarkus-run.jar\"");
        assertThat(args(instructions, "EXPOSE"))
                .as(service + " EXPOSE")
                .containsExactly(String.valueOf(ServiceProperties.of(service).httpPort()));
        for (String overlay : Manifests.overlays()) {
            Deployment d = Manifests.of(overlay).deployment(service);
            assertThat(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser())
                    .as(overlay + " " + service + " runAsUser = the image's USER")
                    .isEqualTo(Long.parseLong(uid.group(1)));
            assertThat(d.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .as(overlay + " " + service + " image")
                    .contains("loopline/" + service + ":");
        }
    }

    @ParameterizedTest
    @MethodSource("services")
    void servicesThatRunGitOrTestsCarryTheirTools(String service) {
        String installs = String.join(" ", args(parse(service), "RUN"));
        switch (service) {
            case "agent-service", "guard-service" -> assertThat(installs)
                    .as(service + " installs")
                    .containsPattern("apt-get install[^&]*\\bgit\\b")
                    .containsPattern("apt-get install[^&]*\\bbubblewrap\\b");
            case "gate-service" -> assertThat(installs).as(service).containsPattern("apt-get install[^&]*\\bgit\\b");
            default -> assertThat(installs).as(service + " needs no git").doesNotContain("git");
        }
    }

    @Test
    void theAgentImageCarriesTheClaudeCodeVersionTheProjectPins() throws IOException {
        Matcher pinned = Pattern.compile("(?m)^CLAUDE_CODE_VERSION=\"([^\"]+)\"")
                .matcher(Files.readString(Manifests.repoRoot().resolve("loopline")));
        assertThat(pinned.find()).as("CLAUDE_CODE_VERSION in ./loopline").isTrue();
        List<Instruction> agent = parse("agent-service");
        assertThat(args(agent, "ARG")).contains("CLAUDE_CODE_VERSION=" + pinned.group(1));
        assertThat(String.join(" ", args(agent, "RUN"))).contains("@anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}");
        assertThat(args(agent, "COPY")).anySatisfy(c -> assertThat(c).endsWith("/usr/local/bin/claude"));
    }
}
