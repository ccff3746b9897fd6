package dev.loopline.state.loop;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.events.TriageReport;
import dev.loopline.state.StateApi;
import dev.loopline.state.TestKafka;
import dev.loopline.state.TickEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The triage cursor folded from events on the real broker into the real Postgres, and the notebook API. */
@QuarkusTest
class LoopMemoryTest {

    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);
    private static final String C = "c".repeat(40);
    private static final Instant T0 = Instant.parse("2026-12-06T06:00:00Z");

    private static TickCompleted reported(String from, String to, String highSha) {
        TriageReport report = new TriageReport(
                TriageReport.Decision.REPORT,
                List.of(new TriageReport.Cursor("main", from, to)),
                List.of(
                        new TriageReport.Item(TriageReport.Bucket.HIGH, highSha, "fix: refuse an empty token"),
                        new TriageReport.Item(TriageReport.Bucket.WATCH, to, "Add | the export endpoint")),
                1,
                1,
                0,
                null);
        return TickCompleted.triaged(TickCompleted.Outcome.REPORTED, 0, "triage: 2 commits", report);
    }

    private static JsonPath triage(String loop) {
        return StateApi.api()
                .get("/api/v1/loops/{id}/triage", loop)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static void send(String loop, String tick, Instant time, TickCompleted done) {
        TestKafka.send(List.of(TickEvents.event(loop, "platform", tick, time, 0, done)));
        StateApi.awaitTick(tick, t -> "completed".equals(t.getString("status")));
    }

    @Test
    void aGroundedReportMovesTheCursorAndAFailedOrOlderTickDoesNot() {
        String loop = TickEvents.newLoopId();
        assertThat(triage(loop).getMap("cursors")).isEmpty();

        String first = TickEvents.newTickId();
        send(loop, first, T0, reported(null, B, A));
        await().atMost(Duration.ofSeconds(10)).until(() -> B.equals(triage(loop).getString("cursors.main")));
        JsonPath state = triage(loop);
        assertThat(state.getString("tickId")).isEqualTo(first);
        assertThat(state.getString("report.items[0].sha")).isEqualTo(A);
        assertThat(state.getString("report.items[0].bucket")).isEqualTo("high");

        // an error carries no report: nothing moves
        send(
                loop,
                TickEvents.newTickId(),
                T0.plusSeconds(60),
                new TickCompleted(
                        TickCompleted.Outcome.ERROR, 0, 0, "triage refused: " + C + " is fabricated", null, null));
        // an older tick's report arriving late never moves the cursor back
        send(loop, TickEvents.newTickId(), T0.minusSeconds(60), reported(null, A, A));
        assertThat(triage(loop).getString("cursors.main")).isEqualTo(B);
        assertThat(triage(loop).getString("tickId")).isEqualTo(first);

        String second = TickEvents.newTickId();
        send(loop, second, T0.plusSeconds(120), reported(B, C, C));
        await().atMost(Duration.ofSeconds(10)).until(() -> C.equals(triage(loop).getString("cursors.main")));

        String stateMd = StateApi.api()
                .get("/api/v1/exports/state.md")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String section = stateMd.substring(stateMd.indexOf("## " + loop + "\n"));
        assertThat(section)
                .contains("- cursor: main@" + C + " (tick " + second + ", 2026-12-06T06:02:00Z)\n")
                .contains("- findings: report: 1 high, 1 watch, 0 noise\n"
                        + "  - high " + C + " fix: refuse an empty token\n"
                        + "  - watch " + C + " Add | the export endpoint\n");
        String runLog = StateApi.api()
                .get("/api/v1/ticks/{id}", second)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(runLog).contains("\"triage\"").contains(C);
    }

    @Test
    void notesAppendOnceByKeyKeepTheNewestAndAreOrderedOldestFirst() {
        String loop = TickEvents.newLoopId();
        for (int i = 1; i <= 52; i++) {
            append(loop, "t-" + i + "/1", "note " + i).statusCode(200);
        }
        JsonPath again = append(loop, "t-52/1", "note 52 again")
                .statusCode(200)
                .extract()
                .jsonPath();

        List<String> texts = again.getList("notes.text", String.class);
        assertThat(texts).hasSize(50).startsWith("note 3").endsWith("note 52");
        assertThat(again.getInt("maxNotes")).isEqualTo(50);
        assertThat(again.getString("notes[0].author")).isEqualTo("bootstrap");
        assertThat(StateApi.api()
                        .get("/api/v1/loops/{id}/notes", loop)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("notes.text", String.class))
                .isEqualTo(texts);
    }

    @Test
    void aNoteThatIsTooLongBlankOrKeylessIsRefusedSayingWhy() {
        String loop = TickEvents.newLoopId();
        append(loop, "k-1", "x".repeat(2001))
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("text"))
                .body("detail", org.hamcrest.Matchers.containsString("at most 2000"));
        append(loop, "k-1", "   ").statusCode(400).body("errors[0].field", org.hamcrest.Matchers.equalTo("text"));
        append(loop, "has space", "fine").statusCode(400).body("errors[0].field", org.hamcrest.Matchers.equalTo("key"));
        StateApi.api()
                .contentType("application/json")
                .body("{\"key\":\"k\",\"text\":\"t\"}")
                .post("/api/v1/loops/{id}/notes", "Not_A_Loop")
                .then()
                .statusCode(400);
    }

    @Test
    void theNotebookNeedsATokenAndAppendingNeedsTheOperatePermission() {
        String loop = TickEvents.newLoopId();
        given().get("/api/v1/loops/{id}/notes", loop).then().statusCode(401);
        given().get("/api/v1/loops/{id}/triage", loop).then().statusCode(401);
        String viewer = StateApi.api()
                .contentType("application/json")
                .body("{\"name\":\"viewer-" + UUID.randomUUID().toString().substring(0, 8) + "\",\"role\":\"viewer\"}")
                .post("/api/v1/admin/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
        given().auth()
                .oauth2(viewer)
                .get("/api/v1/loops/{id}/notes", loop)
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(viewer)
                .contentType("application/json")
                .body("{\"key\":\"k\",\"text\":\"t\"}")
                .post("/api/v1/loops/{id}/notes", loop)
                .then()
                .statusCode(403);
    }

    private static io.restassured.response.ValidatableResponse append(String loop, String key, String text) {
        return StateApi.api()
                .contentType("application/json")
                .body(java.util.Map.of("key", key, "text", text))
                .post("/api/v1/loops/{id}/notes", loop)
                .then();
    }
}
