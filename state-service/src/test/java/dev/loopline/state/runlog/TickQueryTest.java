package dev.loopline.state.runlog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.state.SchedulerStub;
import dev.loopline.state.StateApi;
import dev.loopline.state.TestKafka;
import dev.loopline.state.TickEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Filters and keyset pagination of {@code GET /api/v1/ticks}, and the loop summaries. */
@QuarkusTest
@QuarkusTestResource(value = SchedulerStub.class, restrictToAnnotatedClass = false)
class TickQueryTest {

    private static final Instant T0 = Instant.parse("2026-01-10T08:00:00Z");

    private String loopId;
    private final List<String> tickIds = new ArrayList<>();

    /** Seven ticks of one fresh loop, one minute apart; the odd ones (1, 3, 5) were rejected, tick 6 still runs. */
    @BeforeEach
    void sevenTicks() {
        loopId = TickEvents.newLoopId();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String tickId = "q-" + loopId + "-" + i;
            tickIds.add(tickId);
            TickCompleted.Outcome outcome = i % 2 == 1 ? TickCompleted.Outcome.REJECTED : TickCompleted.Outcome.MERGED;
            List<Event> tick = TickEvents.tick(loopId, "qa", tickId, T0.plus(i, ChronoUnit.MINUTES), outcome);
            events.addAll(i == 6 ? tick.subList(0, 2) : tick);
        }
        TestKafka.send(events);
        Awaitility.await()
                .atMost(StateApi.TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> ids(api().queryParam("loop", loopId).queryParam("limit", 200))
                                .size()
                        == 7);
        Awaitility.await()
                .atMost(StateApi.TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> ids(api().queryParam("loop", loopId).queryParam("outcome", "merged"))
                                .size()
                        == 3);
    }

    @Test
    void listsNewestFirstAndFiltersByLoop() {
        assertThat(ids(api().queryParam("loop", loopId)))
                .containsExactly(
                        tickIds.get(6),
                        tickIds.get(5),
                        tickIds.get(4),
                        tickIds.get(3),
                        tickIds.get(2),
                        tickIds.get(1),
                        tickIds.get(0));
    }

    @Test
    void filtersByOutcomeTeamAndTimeWindow() {
        assertThat(ids(api().queryParam("loop", loopId).queryParam("outcome", "rejected")))
                .containsExactly(tickIds.get(5), tickIds.get(3), tickIds.get(1));
        assertThat(ids(api().queryParam("loop", loopId).queryParam("team", "qa")))
                .hasSize(7);
        assertThat(ids(api().queryParam("loop", loopId).queryParam("team", "nobody")))
                .isEmpty();
        assertThat(ids(api().queryParam("loop", loopId)
                        .queryParam("since", T0.plus(2, ChronoUnit.MINUTES).toString())
                        .queryParam("until", T0.plus(5, ChronoUnit.MINUTES).toString())))
                .containsExactly(tickIds.get(4), tickIds.get(3), tickIds.get(2));
    }

    @Test
    void cursorWalksEveryPageOnceWithoutGapsOrDuplicates() {
        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        do {
            RequestSpecification request = api().queryParam("loop", loopId).queryParam("limit", 3);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/ticks")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            List<String> items = page.getList("items.tickId", String.class);
            seen.addAll(items);
            pageSizes.add(items.size());
            cursor = page.getString("nextCursor");
        } while (cursor != null);

        assertThat(pageSizes).containsExactly(3, 3, 1);
        List<String> newestFirst = new ArrayList<>(tickIds);
        Collections.reverse(newestFirst);
        assertThat(seen).containsExactlyElementsOf(newestFirst);
    }

    @Test
    void runningTickHasNoOutcomeYet() {
        JsonPath tick = api().get("/api/v1/ticks/{id}", tickIds.get(6))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(tick.getString("status")).isEqualTo("running");
        assertThat(tick.getString("outcome")).isNull();
        assertThat(tick.getInt("timeline.size()")).isEqualTo(2);
    }

    @Test
    void loopSummaryHasTeamLastTickLastOutcomeAndCount() {
        JsonPath loops = api().queryParam("team", "qa")
                .get("/api/v1/loops")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        int index = loops.getList("loopId", String.class).indexOf(loopId);
        assertThat(index).isGreaterThanOrEqualTo(0);
        String loop = "[" + index + "].";
        assertThat(loops.getString(loop + "team")).isEqualTo("qa");
        assertThat(loops.getLong(loop + "tickCount")).isEqualTo(7L);
        assertThat(loops.getString(loop + "lastTickId")).isEqualTo(tickIds.get(6));
        assertThat(loops.getString(loop + "lastStatus")).isEqualTo("running");
        // tick 6 still runs: the last outcome is that of tick 5
        assertThat(loops.getString(loop + "lastOutcome")).isEqualTo("rejected");
        assertThat(Instant.parse(loops.getString(loop + "lastTickAt"))).isEqualTo(T0.plus(6, ChronoUnit.MINUTES));
        assertThat(loops.getList("team", String.class)).containsOnly("qa");
    }

    @Test
    void loopStateHasLevelLastRunOpenItemsAndWhetherItMayRunNow() {
        String open = TickEvents.newLoopId();
        String team = TickEvents.newLoopId();
        List<Event> events = new ArrayList<>();
        TickCompleted.Outcome[] outcomes = {
            TickCompleted.Outcome.ESCALATED, TickCompleted.Outcome.MERGED, TickCompleted.Outcome.AWAITING_APPROVAL
        };
        for (int i = 0; i < outcomes.length; i++) {
            events.addAll(
                    TickEvents.tick(open, team, "o-" + open + "-" + i, T0.plus(i, ChronoUnit.MINUTES), outcomes[i]));
        }
        TestKafka.send(events);
        Awaitility.await()
                .atMost(StateApi.TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> ids(api().queryParam("loop", open).queryParam("outcome", "awaiting-approval"))
                                .size()
                        == 1);

        JsonPath loop = loopState(team);
        assertThat(loop.getString("level")).isEqualTo("L3");
        assertThat(loop.getLong("openItems")).isEqualTo(2L);
        assertThat(loop.getList("openTickIds", String.class)).containsExactly("o-" + open + "-2", "o-" + open + "-0");
        assertThat(loop.getString("lastOutcome")).isEqualTo("awaiting-approval");
        Instant lastRun = Instant.parse(loop.getString("lastRunAt"));
        assertThat(lastRun).isAfter(T0.plus(2, ChronoUnit.MINUTES)).isBefore(T0.plus(3, ChronoUnit.MINUTES));
        assertThat(loop.getString("admission")).isEqualTo("run");
        assertThat(loop.getString("admissionReason")).isNull();

        StateApi.loopControl("kill", open, "reviewing its escalations", "carol");
        JsonPath killed = loopState(team);
        assertThat(killed.getString("admission")).isEqualTo("halted");
        assertThat(killed.getString("admissionReason"))
                .contains("kill switch loop:" + open, "carol", "reviewing its escalations");
        StateApi.loopControl("resume", open, "reviewed", "carol");
        assertThat(loopState(team).getString("admission")).isEqualTo("run");
        // the other loops are not halted by this loop's switch
        assertThat(api().get("/api/v1/loops").then().extract().jsonPath().getList("admission", String.class))
                .contains("run");
    }

    @Test
    void theSchedulersNextRunPauseAndHaltAreMergedIn() {
        String tickId = "s-" + TickEvents.newTickId();
        TestKafka.send(
                TickEvents.tick(SchedulerStub.PAUSED, SchedulerStub.TEAM, tickId, T0, TickCompleted.Outcome.MERGED));
        // the tick is listed once triggered; wait for its completion too, which the loop list reads its outcome from
        Awaitility.await()
                .atMost(StateApi.TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> "merged"
                        .equals(api().queryParam("team", SchedulerStub.TEAM)
                                .get("/api/v1/loops")
                                .then()
                                .extract()
                                .jsonPath()
                                .getString("find { it.loopId == '" + SchedulerStub.PAUSED + "' }.lastOutcome")));

        JsonPath loops = api().queryParam("team", SchedulerStub.TEAM)
                .get("/api/v1/loops")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(loops.getList("loopId", String.class)).containsExactly(SchedulerStub.PAUSED, SchedulerStub.WAITING);
        assertThat(loops.getList("schedule", String.class)).containsOnly("scheduler");
        // ticked and paused: the run log's facts and the scheduler's pause
        assertThat(loops.getLong("[0].tickCount")).isEqualTo(1L);
        assertThat(loops.getString("[0].lastOutcome")).isEqualTo("merged");
        assertThat(loops.getBoolean("[0].paused")).isTrue();
        assertThat(loops.getString("[0].pauseReason")).isEqualTo("paused by dana: release freeze");
        assertThat(loops.getString("[0].nextRunAt")).isNull();
        assertThat(loops.getString("[0].admission")).isEqualTo("run");
        // never ticked: listed from the scheduler, with its next run and its anomaly halt
        assertThat(loops.getLong("[1].tickCount")).isZero();
        assertThat(loops.getString("[1].level")).isEqualTo("L1");
        assertThat(loops.getString("[1].team")).isEqualTo(SchedulerStub.TEAM);
        assertThat(Instant.parse(loops.getString("[1].nextRunAt"))).isEqualTo(Instant.parse(SchedulerStub.NEXT_RUN));
        assertThat(loops.getBoolean("[1].paused")).isFalse();
        assertThat(loops.getString("[1].admission")).isEqualTo("halted");
        assertThat(loops.getString("[1].admissionReason")).isEqualTo("scheduler halt (stall): no progress in 5 runs");
    }

    /** The only loop of {@code team} in {@code GET /api/v1/loops?team=}. */
    private static JsonPath loopState(String team) {
        JsonPath loops = api().queryParam("team", team)
                .get("/api/v1/loops")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(loops.getList("loopId")).hasSize(1);
        return JsonPath.from(loops.prettify()).setRootPath("[0]");
    }

    @Test
    void aTicksDetailCarriesWhatItsSettledHoldsCost() {
        String tick = tickIds.get(0);
        // priced-model: $3 per Mtok in, $15 out (the test prices)
        settle(hold("tick:" + tick + ":attempt:1:call:0"), 1_000, 800); // $0.0024 + $0.003
        settle(hold("tick:" + tick + ":attempt:2:call:0"), 2_000, 0); // $0.03
        hold("tick:" + tick + ":attempt:2:call:1"); // still held: not spent yet
        settle(hold("tick:" + tick + "0:attempt:1:call:0"), 5_000, 0); // another tick whose id starts alike

        JsonPath detail = api().get("/api/v1/ticks/{id}", tick)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(new java.math.BigDecimal(detail.getString("costUsd"))).isEqualByComparingTo("0.0354");
        api().get("/api/v1/ticks/{id}", tickIds.get(1))
                .then()
                .statusCode(200)
                .body("costUsd", org.hamcrest.Matchers.nullValue());
    }

    private static String hold(String key) {
        return api().contentType("application/json")
                .body("{\"scopes\":[{\"kind\":\"loop\",\"id\":\"cost-" + key.hashCode()
                        + "\"}],\"tokens\":5000,\"ttlSeconds\":600,\"model\":\"priced-model\",\"idempotencyKey\":\""
                        + key + "\"}")
                .post("/api/v1/budget/reservations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static void settle(String id, long tokens, long inputTokens) {
        api().contentType("application/json")
                .body("{\"actualTokens\":" + tokens + ",\"inputTokens\":" + inputTokens + "}")
                .post("/api/v1/budget/reservations/{id}/settle", id)
                .then()
                .statusCode(200);
    }

    private static RequestSpecification api() {
        return given().auth().oauth2(StateApi.TOKEN);
    }

    private static List<String> ids(RequestSpecification request) {
        return request.get("/api/v1/ticks")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.tickId", String.class);
    }
}
