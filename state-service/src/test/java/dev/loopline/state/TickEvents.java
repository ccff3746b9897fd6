package dev.loopline.state;

import dev.loopline.schemas.events.ChangeDecided;
import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventData;
import dev.loopline.schemas.events.Finding;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.schemas.events.Usage;
import dev.loopline.schemas.spec.LoopSpec;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Realistic tick events for tests; every tick gets unique ids so tests share one database safely. */
public final class TickEvents {

    public static final String BASE_SHA = "3f786850e387550fdab836ed7e6dc881de23001b";
    public static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    public static final String DIFF =
            """
            diff --git a/docs/CHANGELOG.md b/docs/CHANGELOG.md
            --- a/docs/CHANGELOG.md
            +++ b/docs/CHANGELOG.md
            @@ -1 +1,2 @@
             # Changelog
            +- loopline tick
            """;
    public static final String DIFF_SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private TickEvents() {}

    /** A fresh loop id matching the spec pattern. */
    public static String newLoopId() {
        return "loop-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String newTickId() {
        return "t-" + UUID.randomUUID();
    }

    public static LoopSpec spec(String loopId, String team) {
        return LoopSpec.builder(
                        loopId,
                        LoopSpec.Kind.ASSISTED_FIX,
                        LoopSpec.Level.L3,
                        new LoopSpec.Target("/srv/repos/sample", "main"))
                .name("Docs changelog")
                .team(team)
                .cadence("5m-15m")
                .priority(50)
                .paused(false)
                .task("Append a changelog line")
                .test(new LoopSpec.Test("./test.sh", 60))
                .maker(new LoopSpec.Maker("mock", null, null, null, 1200))
                .allowlist(new LoopSpec.Allowlist(List.of("docs/**"), List.of(), 5, 200))
                .budget(new LoopSpec.Budget(5000L, 100000L, 3))
                .build();
    }

    /** The five events of a tick that merged on its first attempt, one second apart from {@code start}. */
    public static List<Event> mergedTick(String loopId, String team, String tickId, Instant start) {
        return tick(loopId, team, tickId, start, TickCompleted.Outcome.MERGED);
    }

    public static List<Event> tick(
            String loopId, String team, String tickId, Instant start, TickCompleted.Outcome outcome) {
        LoopSpec spec = spec(loopId, team);
        return List.of(
                event(loopId, team, tickId, start, 0, triggered(spec, start)),
                event(
                        loopId,
                        team,
                        tickId,
                        start.plusSeconds(1),
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
                        loopId,
                        team,
                        tickId,
                        start.plusSeconds(2),
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
                                new ChangeVerified.TestResult(
                                        "./test.sh", 0, false, 812, "12 tests passed\n", "bubblewrap"),
                                "main",
                                BASE_SHA,
                                DIFF,
                                DIFF_SHA,
                                1200,
                                spec)),
                event(
                        loopId,
                        team,
                        tickId,
                        start.plusSeconds(3),
                        1,
                        new ChangeDecided(
                                ChangeDecided.Decision.MERGED,
                                "all paths allowed",
                                null,
                                COMMIT,
                                BASE_SHA,
                                DIFF_SHA,
                                1200)),
                event(
                        loopId,
                        team,
                        tickId,
                        start.plusSeconds(4),
                        1,
                        new TickCompleted(outcome, 1200, 1, outcome.wireName(), null, COMMIT)));
    }

    public static TickTriggered triggered(LoopSpec spec, Instant scheduledFor) {
        return new TickTriggered(TickTriggered.Trigger.cadence(scheduledFor), DIFF_SHA, spec);
    }

    public static Event event(String loopId, String team, String tickId, Instant time, int attempt, EventData data) {
        return Event.of("test", time, loopId, tickId, team, attempt, data);
    }
}
