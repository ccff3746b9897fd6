package dev.loopline.schemas.events;

import dev.loopline.schemas.spec.LoopSpec;
import java.time.Instant;
import java.util.List;

/** One realistic event of every type, as the services emit them. */
final class SampleEvents {

    static final String BASE_SHA = "3f786850e387550fdab836ed7e6dc881de23001b";
    static final String DIFF =
            """
            diff --git a/docs/CHANGELOG.md b/docs/CHANGELOG.md
            index 1111111..2222222 100644
            --- a/docs/CHANGELOG.md
            +++ b/docs/CHANGELOG.md
            @@ -1 +1,2 @@
             # Changelog
            +- loopline tick t-1
            """;
    static final String DIFF_SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final Instant TIME = Instant.parse("2026-11-21T06:00:00Z");

    static LoopSpec spec() {
        return LoopSpec.builder(
                        "docs-changelog",
                        LoopSpec.Kind.ASSISTED_FIX,
                        LoopSpec.Level.L3,
                        new LoopSpec.Target("/srv/repos/sample", "main"))
                .name("Docs changelog")
                .team("platform")
                .cadence("5m-15m")
                .priority(50)
                .paused(false)
                .task("Append a changelog line")
                .test(new LoopSpec.Test("./test.sh", 60))
                .maker(new LoopSpec.Maker(
                        "mock",
                        null,
                        null,
                        List.of(new LoopSpec.Edit("docs/CHANGELOG.md", null, "- {{tick}}\n", null)),
                        1200))
                .allowlist(new LoopSpec.Allowlist(List.of("docs/**"), List.of("docs/secret/**"), 5, 200))
                .budget(new LoopSpec.Budget(5000L, 100000L, 3))
                .on(List.of(
                        new LoopSpec.EventTrigger(
                                LoopSpec.EventTrigger.Source.GITHUB,
                                LoopSpec.EventTrigger.EventType.PUSH,
                                "acme/widgets",
                                List.of("main", "release/*"),
                                null,
                                null),
                        new LoopSpec.EventTrigger(
                                LoopSpec.EventTrigger.Source.GITLAB,
                                LoopSpec.EventTrigger.EventType.COMMENT,
                                "platform/tools/widgets",
                                null,
                                null,
                                "/loopline run")))
                .build();
    }

    static List<Event> all() {
        LoopSpec spec = spec();
        return List.of(
                event(0, new TickTriggered(TickTriggered.Trigger.cadence(TIME), DIFF_SHA, spec)),
                event(
                        1,
                        new ChangeProposed(
                                "main",
                                BASE_SHA,
                                DIFF,
                                DIFF_SHA,
                                List.of("docs/CHANGELOG.md"),
                                "appended a line",
                                new ChangeProposed.MakerInfo("mock", null),
                                new Usage(1000, 200),
                                1200,
                                spec)),
                event(
                        1,
                        new ChangeVerified(
                                ChangeVerified.Verdict.ACCEPT,
                                List.of("tests passed"),
                                List.of(new Finding(
                                        "ci-config-changed",
                                        Finding.Severity.LOW,
                                        "CI file edited",
                                        ".gitlab-ci.yml",
                                        3,
                                        "allow_failure: true")),
                                new ChangeVerified.TestResult("./test.sh", 0, false, 812, "ok\n", "bubblewrap"),
                                "main",
                                BASE_SHA,
                                DIFF,
                                DIFF_SHA,
                                1200,
                                spec)),
                event(
                        1,
                        new ChangeDecided(
                                ChangeDecided.Decision.MERGED,
                                "all paths allowed",
                                null,
                                "0123456789abcdef0123456789abcdef01234567",
                                BASE_SHA,
                                DIFF_SHA,
                                1200)),
                event(
                        1,
                        new TickCompleted(
                                TickCompleted.Outcome.MERGED,
                                1200,
                                1,
                                "merged",
                                null,
                                "0123456789abcdef0123456789abcdef01234567")),
                event(
                        1,
                        new ApprovalRecorded(
                                "apr-t-1-1",
                                ApprovalRecorded.Action.APPROVED,
                                ApprovalRecorded.State.OPEN,
                                "alice",
                                ApprovalRecorded.Channel.CLI,
                                "looks right",
                                1,
                                2,
                                DIFF_SHA,
                                BASE_SHA,
                                "loopline/docs-changelog/t-1",
                                null,
                                "approved (1 of 2)")));
    }

    private static Event event(int attempt, EventData data) {
        return Event.of("test", TIME, "docs-changelog", "t-1", "platform", attempt, data);
    }

    private SampleEvents() {}
}
