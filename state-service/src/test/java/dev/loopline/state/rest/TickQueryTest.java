package dev.loopline.state.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.state.StateApi;
import dev.loopline.state.TestKafka;
import dev.loopline.state.TickEvents;
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
