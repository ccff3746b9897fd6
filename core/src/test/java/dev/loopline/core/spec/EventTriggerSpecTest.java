package dev.loopline.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.core.plan.Readiness;
import dev.loopline.core.plan.SpecAuditor;
import dev.loopline.schemas.spec.LoopSpec;
import dev.loopline.schemas.spec.LoopSpec.EventTrigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventTriggerSpecTest {

    private static final String HEAD =
            """
            id: on-events
            kind: report
            level: L1
            target: {repo: /srv/repos/widgets}
            budget: {dailyTokens: 100000}
            """;

    @TempDir
    Path dir;

    private final LoopSpecReader reader = new LoopSpecReader();

    private SpecLoadResult read(String on) throws IOException {
        Files.writeString(dir.resolve("loop.yaml"), HEAD + on);
        return reader.readDirectory(dir);
    }

    @Test
    void theUnquotedYamlKeyOnReadsAsTheEventTriggers() throws IOException {
        SpecLoadResult result = read(
                """
                on:
                  - source: github
                    event: push
                    repo: acme/widgets
                    branches: [main, "release/*"]
                  - source: gitlab
                    event: issue-labelled
                    repo: group/sub/project
                    labels: [loopline]
                  - source: github
                    event: comment
                    repo: acme/widgets
                    command: /loopline run
                """);

        assertThat(result.problems()).isEmpty();
        LoopSpec spec = result.specs().get(0).spec();
        assertThat(spec.on())
                .containsExactly(
                        new EventTrigger(
                                EventTrigger.Source.GITHUB,
                                EventTrigger.EventType.PUSH,
                                "acme/widgets",
                                List.of("main", "release/*"),
                                null,
                                null),
                        new EventTrigger(
                                EventTrigger.Source.GITLAB,
                                EventTrigger.EventType.ISSUE_LABELLED,
                                "group/sub/project",
                                null,
                                List.of("loopline"),
                                null),
                        new EventTrigger(
                                EventTrigger.Source.GITHUB,
                                EventTrigger.EventType.COMMENT,
                                "acme/widgets",
                                null,
                                null,
                                "/loopline run"));
    }

    @Test
    void aSpecWithoutOnHasNoTriggersAndTheSameHashAsBefore() throws IOException {
        SpecLoadResult result = read("");

        LoadedSpec loaded = result.specs().get(0);
        assertThat(loaded.spec().on()).isNull();
        assertThat(loaded.spec().onOrEmpty()).isEmpty();
        assertThat(LoopSpecReader.hash(loaded.spec().toBuilder().on(null).build()))
                .isEqualTo(loaded.hash());
    }

    static Stream<Arguments> invalidTriggers() {
        return Stream.of(
                Arguments.of(
                        "unknown event",
                        "on: [{source: github, event: release, repo: acme/widgets}]",
                        "$.on[0].event",
                        "push"),
                Arguments.of(
                        "unknown source",
                        "on: [{source: bitbucket, event: push, repo: acme/widgets}]",
                        "$.on[0].source",
                        "github"),
                Arguments.of("missing repo", "on: [{source: github, event: push}]", "$.on[0].repo", "repo"),
                Arguments.of(
                        "repo without owner",
                        "on: [{source: github, event: push, repo: widgets}]",
                        "$.on[0].repo",
                        "pattern"),
                Arguments.of(
                        "typo in a filter",
                        "on: [{source: github, event: push, repo: acme/widgets, brnches: [main]}]",
                        "$.on[0].brnches",
                        "brnches"),
                Arguments.of(
                        "labelled without labels",
                        "on: [{source: gitlab, event: issue-labelled, repo: g/p}]",
                        "$.on[0].labels",
                        "labels"),
                Arguments.of(
                        "comment without command",
                        "on: [{source: github, event: push, repo: a/b}, {source: github, event: comment, repo: a/b}]",
                        "$.on[1].command",
                        "command"),
                Arguments.of(
                        "branches on a comment trigger",
                        "on: [{source: github, event: comment, repo: a/b, command: /go, branches: [main]}]",
                        "$.on[0].branches",
                        "branches apply only to event push"),
                Arguments.of(
                        "labels on a push trigger",
                        "on: [{source: github, event: push, repo: a/b, labels: [x]}]",
                        "$.on[0].labels",
                        "labels apply only to event issue-labelled"),
                Arguments.of(
                        "command on a labelled trigger",
                        "on: [{source: github, event: issue-labelled, repo: a/b, labels: [x], command: /go}]",
                        "$.on[0].command",
                        "command applies only to event comment"),
                Arguments.of(
                        "broken branch glob",
                        "on: [{source: github, event: push, repo: a/b, branches: [main, \" \"]}]",
                        "$.on[0].branches[1]",
                        "empty glob"),
                Arguments.of("empty list", "on: []", "$.on", "at least 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidTriggers")
    void anInvalidTriggerIsReportedAtItsFieldPath(String name, String on, String field, String message)
            throws IOException {
        SpecLoadResult result = read(on + "\n");

        assertThat(result.specs()).isEmpty();
        assertThat(result.problems()).anySatisfy(p -> {
            assertThat(p.field()).isEqualTo(field);
            assertThat(p.message()).contains(message);
        });
    }

    @Test
    void anEventTriggerCountsAsTheLoopsTrigger() throws IOException {
        LoopSpec spec = read("on: [{source: github, event: push, repo: acme/widgets}]\n")
                .specs()
                .get(0)
                .spec();

        Readiness.Check trigger = new SpecAuditor()
                .audit(spec).checks().stream()
                        .filter(c -> c.name().equals("trigger"))
                        .findFirst()
                        .orElseThrow();
        assertThat(trigger.passed()).isTrue();
        assertThat(trigger.detail()).isEqualTo("on github push in acme/widgets");
    }
}
