package dev.loopline.scheduler.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.schemas.spec.LoopSpec.EventTrigger;
import dev.loopline.schemas.spec.LoopSpec.EventTrigger.EventType;
import dev.loopline.schemas.spec.LoopSpec.EventTrigger.Source;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventTriggerMatcherTest {

    private static EventTrigger push(String repo, List<String> branches) {
        return new EventTrigger(Source.GITHUB, EventType.PUSH, repo, branches, null, null);
    }

    private static EventTrigger labelled(List<String> labels) {
        return new EventTrigger(Source.GITLAB, EventType.ISSUE_LABELLED, "g/p", null, labels, null);
    }

    private static EventTrigger comment(String command) {
        return new EventTrigger(Source.GITHUB, EventType.COMMENT, "acme/widgets", null, null, command);
    }

    static Stream<Arguments> cases() {
        WebhookEvent pushMain = WebhookEvent.push(Source.GITHUB, "acme/widgets", "main", "d");
        WebhookEvent pushRelease = WebhookEvent.push(Source.GITHUB, "acme/widgets", "release/2.1", "d");
        return Stream.of(
                Arguments.of("push, any branch", push("acme/widgets", null), pushMain, true),
                Arguments.of("push, exact branch", push("acme/widgets", List.of("main")), pushMain, true),
                Arguments.of("push, other branch", push("acme/widgets", List.of("main")), pushRelease, false),
                Arguments.of("push, branch glob", push("acme/widgets", List.of("release/*")), pushRelease, true),
                Arguments.of("push, repo ignores case", push("ACME/Widgets", null), pushMain, true),
                Arguments.of("push, other repo", push("acme/gadgets", null), pushMain, false),
                Arguments.of(
                        "push, other source",
                        push("acme/widgets", null),
                        WebhookEvent.push(Source.GITLAB, "acme/widgets", "main", "d"),
                        false),
                Arguments.of(
                        "push trigger, comment event",
                        push("acme/widgets", null),
                        WebhookEvent.comment(Source.GITHUB, "acme/widgets", "/go", "d"),
                        false),
                Arguments.of(
                        "label added is wanted",
                        labelled(List.of("loopline")),
                        WebhookEvent.labelled(Source.GITLAB, "g/p", List.of("bug", "LoopLine"), "d"),
                        true),
                Arguments.of(
                        "label added is not wanted",
                        labelled(List.of("loopline")),
                        WebhookEvent.labelled(Source.GITLAB, "g/p", List.of("bug"), "d"),
                        false),
                Arguments.of(
                        "comment starts with the command",
                        comment("/loopline run"),
                        WebhookEvent.comment(Source.GITHUB, "acme/widgets", "  /loopline run\nplease", "d"),
                        true),
                Arguments.of(
                        "comment is the command",
                        comment("/loopline run"),
                        WebhookEvent.comment(Source.GITHUB, "acme/widgets", "/loopline run", "d"),
                        true),
                Arguments.of(
                        "comment continues the command's last word",
                        comment("/loopline run"),
                        WebhookEvent.comment(Source.GITHUB, "acme/widgets", "/loopline running", "d"),
                        false),
                Arguments.of(
                        "command inside the comment",
                        comment("/loopline run"),
                        WebhookEvent.comment(Source.GITHUB, "acme/widgets", "please /loopline run", "d"),
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matches(String name, EventTrigger trigger, WebhookEvent event, boolean expected) {
        assertThat(EventTriggerMatcher.matches(trigger, event)).isEqualTo(expected);
    }
}
