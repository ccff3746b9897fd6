package dev.loopline.state.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.loopline.state.StateApi;
import dev.loopline.state.TickEvents;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The last days' use per scope, which the dashboard's budget chart draws. */
@QuarkusTest
class BudgetHistoryTest {

    @Inject
    EntityManager em;

    @Test
    void historyListsEachScopesSettledUseOfTheLastDaysOldestFirst() {
        String loop = TickEvents.newLoopId();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        bookedOn(loop, today.minusDays(3), 400);
        bookedOn(loop, today.minusDays(10), 900);
        String hold = StateApi.api()
                .contentType("application/json")
                .body("{\"scopes\":[{\"kind\":\"loop\",\"id\":\"" + loop + "\"}],\"tokens\":1500}")
                .post("/api/v1/budget/reservations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        StateApi.api()
                .contentType("application/json")
                .body("{\"actualTokens\":1200}")
                .post("/api/v1/budget/reservations/{id}/settle", hold)
                .then()
                .statusCode(200);

        List<Map<String, Object>> days = StateApi.api()
                .get("/api/v1/budget/history?days=7")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("findAll { it.scope.id == '" + loop + "' }");

        assertThat(days)
                .extracting(d -> d.get("day"), d -> ((Number) d.get("spent")).longValue())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(today.minusDays(3).toString(), 400L),
                        org.assertj.core.groups.Tuple.tuple(today.toString(), 1200L));
        assertThat(days).allSatisfy(d -> assertThat(d.get("scope")).isEqualTo(Map.of("kind", "loop", "id", loop)));
    }

    @Test
    void historyRefusesASpanOutsideOneToThirtyOneDays() {
        StateApi.api()
                .get("/api/v1/budget/history?days=0")
                .then()
                .statusCode(400)
                .body("detail", containsString("days"));
        StateApi.api().get("/api/v1/budget/history?days=32").then().statusCode(400);
    }

    private void bookedOn(String loop, LocalDate day, long settled) {
        QuarkusTransaction.requiringNew()
                .run(() -> em.createNativeQuery("INSERT INTO budget_period (scope_kind, scope_id, day, settled)"
                                + " VALUES ('loop', :id, :day, :settled)")
                        .setParameter("id", loop)
                        .setParameter("day", day)
                        .setParameter("settled", settled)
                        .executeUpdate());
    }
}
