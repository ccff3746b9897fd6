package dev.loopline.state.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.state.StateApi;
import dev.loopline.state.TestKafka;
import dev.loopline.state.TickEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** STATE.md and loop-run-log.md exports of a known set of ticks, byte for byte. */
@QuarkusTest
class ExportTest {

    private static final Instant T0 = Instant.parse("2026-11-02T06:00:00Z");

    @Test
    void exportsStateAndRunLogInTheLoopEngineeringConventions() {
        String team = "team-" + TickEvents.newLoopId().substring(5);
        String prefix = TickEvents.newLoopId();
        String loopA = prefix + "-a";
        String loopB = prefix + "-b";
        String merged = TickEvents.newTickId();
        String noOp = TickEvents.newTickId();
        String awaiting = TickEvents.newTickId();

        List<Event> events = new ArrayList<>(TickEvents.mergedTick(loopA, team, merged, T0));
        events.addAll(tick(
                loopB,
                team,
                noOp,
                T0.plusSeconds(300),
                new TickCompleted(TickCompleted.Outcome.NO_OP, 300, 0, "nothing to do", null, null)));
        events.addAll(tick(
                loopA,
                team,
                awaiting,
                T0.plusSeconds(600),
                new TickCompleted(
                        TickCompleted.Outcome.AWAITING_APPROVAL,
                        800,
                        2,
                        "needs approval: touches auth | twice",
                        "loopline/" + loopA + "/2",
                        null)));
        TestKafka.send(events);
        for (String tick : List.of(merged, noOp, awaiting)) {
            StateApi.awaitTick(tick, t -> "completed".equals(t.getString("status")));
        }
        String reservation = StateApi.api()
                .contentType("application/json")
                .body("{\"scopes\":[{\"kind\":\"loop\",\"id\":\"" + loopB + "\"}],\"tokens\":300}")
                .post("/api/v1/budget/reservations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        StateApi.api()
                .contentType("application/json")
                .body("{\"actualTokens\":250}")
                .post("/api/v1/budget/reservations/{id}/settle", reservation)
                .then()
                .statusCode(200);

        String runLog = StateApi.api()
                .queryParam("team", team)
                .get("/api/v1/exports/run-log.md")
                .then()
                .statusCode(200)
                .contentType("text/markdown")
                .extract()
                .asString();
        assertThat(runLog)
                .isEqualTo(
                        """
                        # Loop run log

                        | time | pattern | result | action | artifact | notes |
                        |---|---|---|---|---|---|
                        | 2026-11-02T06:00:04Z | %1$s | found | committed | %3$s | %4$s; 1200 tokens; 1 attempt; merged |
                        | 2026-11-02T06:05:05Z | %2$s | clean | none | none | %5$s; 300 tokens; 0 attempts; nothing to do |
                        | 2026-11-02T06:10:05Z | %1$s | escalated | escalated-to-human | loopline/%1$s/2 | %6$s; 800 tokens; 2 attempts; needs approval: touches auth \\| twice |
                        """
                                .formatted(loopA, loopB, TickEvents.COMMIT, merged, noOp, awaiting));

        String state = StateApi.api()
                .queryParam("team", team)
                .get("/api/v1/exports/state.md")
                .then()
                .statusCode(200)
                .contentType("text/markdown")
                .extract()
                .asString();
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        assertThat(state)
                .isEqualTo(
                        """
                        # STATE

                        ## Global

                        - scope: team %3$s
                        - loops: 2
                        - last run: 2026-11-02T06:10:05Z
                        - kill switch: off
                        - budget used: unset
                        - open items: 1
                        - notes: unset

                        ## %1$s

                        - phase: L3
                        - last run: 2026-11-02T06:10:05Z
                        - last result: awaiting-approval
                        - cursor: n/a
                        - open items: %4$s (awaiting-approval)
                        - budget used: unset
                        - notes: needs approval: touches auth | twice

                        ## %2$s

                        - phase: L3
                        - last run: 2026-11-02T06:05:05Z
                        - last result: no-op
                        - cursor: n/a
                        - open items: none
                        - budget used: 250 tokens on %5$s (UTC)
                        - notes: nothing to do
                        """
                                .formatted(loopA, loopB, team, awaiting, today));
    }

    @Test
    void runLogLimitIsBounded() {
        StateApi.api()
                .queryParam("limit", 0)
                .get("/api/v1/exports/run-log.md")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    /** A tick that was triggered and completed {@code 5 s} later. */
    private static List<Event> tick(String loop, String team, String tickId, Instant start, TickCompleted completed) {
        return List.of(
                TickEvents.event(
                        loop, team, tickId, start, 0, TickEvents.triggered(TickEvents.spec(loop, team), start)),
                TickEvents.event(loop, team, tickId, start.plusSeconds(5), completed.attempts(), completed));
    }
}
