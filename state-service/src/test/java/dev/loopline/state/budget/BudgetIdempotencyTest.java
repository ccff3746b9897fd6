package dev.loopline.state.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import dev.loopline.state.StateApi;
import dev.loopline.state.TickEvents;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Idempotency keys and declared loop caps on the real ledger (V13): Kafka delivers a tick at least once, so the agent
 * asks for the hold of one (tick, attempt, call) again after a redelivery; the ledger must answer the same hold, and a
 * loop's spec cap ({@code budget.dailyTokens}) must limit its holds like an admin cap.
 */
@QuarkusTest
class BudgetIdempotencyTest {

    @Inject
    EntityManager em;

    @Inject
    BudgetLedgerService ledger;

    @Test
    void aRepeatedKeyAnswersTheSameHoldAndASettledKeyChargesOnce() {
        String loop = TickEvents.newLoopId();
        setCap(loop, 100);
        String key = "tick:" + UUID.randomUUID() + ":attempt:1:call:0";

        String id =
                reserve(loop, 60, key, null).then().statusCode(201).extract().path("id");
        // a second hold of 60 would not fit the cap of 100: the repeat is the same hold, not a new one
        reserve(loop, 60, key, null)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("replayed", is(true))
                .body("status", equalTo("held"));

        settle(id, 50).statusCode(200).body("settledTokens", is(50));
        // the redelivered tick's maker ran again and reports another amount: the key's charge stands
        settle(id, 70).statusCode(200).body("status", equalTo("settled")).body("settledTokens", is(50));
        StateApi.api()
                .delete("/api/v1/budget/reservations/{id}", id)
                .then()
                .statusCode(200)
                .body("status", equalTo("settled"));
        reserve(loop, 60, key, null)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("replayed", is(true))
                .body("status", equalTo("settled"));

        assertThat(StateApi.budgetOf(loop).getLong("spent")).isEqualTo(50L);
        assertThat(StateApi.budgetOf(loop).getLong("held")).isZero();
        assertThat(periodSettled(loop)).isEqualTo(50L);
        assertThat(rowsWithKey(key)).isEqualTo(1L);
        // without a key nothing changed: settling again with another amount is still a conflict
        String plain =
                reserve(loop, 10, null, null).then().statusCode(201).extract().path("id");
        settle(plain, 5).statusCode(200);
        settle(plain, 6).statusCode(409);
    }

    @Test
    void aReleasedHoldUnderAKeyIsHeldAgainUnderItsIdAndCheckedAgainstTheCap() {
        String loop = TickEvents.newLoopId();
        setCap(loop, 100);
        String key = "tick:" + UUID.randomUUID() + ":attempt:2:call:3";
        String id =
                reserve(loop, 40, key, null).then().statusCode(201).extract().path("id");
        StateApi.api().delete("/api/v1/budget/reservations/{id}", id).then().statusCode(200);

        String other =
                reserve(loop, 70, null, null).then().statusCode(201).extract().path("id");
        // released, it holds nothing; held again it must fit beside the other hold: 70 + 40 > 100
        reserve(loop, 40, key, null).then().statusCode(409).body("scope.id", equalTo(loop));
        StateApi.api().delete("/api/v1/budget/reservations/{id}", other).then().statusCode(200);

        reserve(loop, 40, key, null)
                .then()
                .statusCode(201)
                .body("id", equalTo(id))
                .body("status", equalTo("held"))
                .body("replayed", nullValue());
        assertThat(StateApi.budgetOf(loop).getLong("held")).isEqualTo(40L);
        assertThat(rowsWithKey(key)).isEqualTo(1L);
    }

    @Test
    void concurrentReservationsUnderOneKeyHoldOnce() throws Exception {
        String loop = TickEvents.newLoopId();
        setCap(loop, 1_000);
        String key = "tick:" + UUID.randomUUID() + ":attempt:1:call:0";
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(pool.submit(() -> reserve(loop, 300, key, null)));
        }
        List<Integer> statuses = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Future<Response> call : calls) {
            Response response = call.get();
            statuses.add(response.statusCode());
            ids.add(response.path("id"));
        }
        pool.shutdown();

        assertThat(statuses).containsOnly(200, 201);
        assertThat(statuses.stream().filter(s -> s == 201)).hasSize(1);
        assertThat(ids).hasSize(8).containsOnly(ids.get(0));
        assertThat(rowsWithKey(key)).isEqualTo(1L);
        assertThat(StateApi.budgetOf(loop).getLong("held")).isEqualTo(300L);
    }

    @Test
    void aLoopWhoseDeclaredDailyCapIsSpentGetsItsNextHoldRefused() {
        String loop = TickEvents.newLoopId();
        // no admin cap: the spec's budget.dailyTokens, sent with every hold, is the loop's cap
        String id =
                reserve(loop, 100, null, 100L).then().statusCode(201).extract().path("id");
        settle(id, 100).statusCode(200);

        reserve(loop, 1, null, 100L)
                .then()
                .statusCode(409)
                .body("scope.kind", equalTo("loop"))
                .body("scope.id", equalTo(loop))
                .body("cap", is(100))
                .body("spent", is(100));
        // the same loop without a declared cap (an old agent) is not limited by it: the cap is not stored
        reserve(loop, 1, null, null).then().statusCode(201);
    }

    @Test
    void theLowerOfTheDeclaredAndTheAdminCapApplies() {
        String loop = TickEvents.newLoopId();
        setCap(loop, 50);
        reserve(loop, 60, null, 100L).then().statusCode(409).body("cap", is(50));
        reserve(loop, 60, null, 1_000_000L).then().statusCode(409).body("cap", is(50));

        String other = TickEvents.newLoopId();
        setCap(other, 1_000);
        reserve(other, 60, null, 50L).then().statusCode(409).body("cap", is(50));
        reserve(other, 50, null, 50L).then().statusCode(201);
    }

    @Test
    void aDeclaredCapWithoutALoopScopeOrAMalformedKeyIsABadRequest() {
        StateApi.api()
                .contentType("application/json")
                .body("{\"scopes\":[{\"kind\":\"global\"}],\"tokens\":5,\"loopDailyTokens\":10}")
                .post("/api/v1/budget/reservations")
                .then()
                .statusCode(400)
                .body("detail", containsString("loopDailyTokens"));
        reserve(TickEvents.newLoopId(), 5, "has spaces in it", null)
                .then()
                .statusCode(400)
                .body(containsString("idempotencyKey"));
    }

    /**
     * The ledger sums a scope-day's live holds from the copies on their charges (V20): a hold must stop counting the
     * moment it is released, settled or swept as expired, and count again when its key holds it anew. Each step is
     * checked on the charges themselves and on what the cap then admits.
     */
    @Test
    void aHoldStopsCountingWhenItClosesAndCountsAgainWhenItsKeyHoldsItAnew() {
        String loop = TickEvents.newLoopId();
        setCap(loop, 100);
        String key = "tick:" + UUID.randomUUID() + ":attempt:1:call:0";

        String id =
                reserve(loop, 60, key, null).then().statusCode(201).extract().path("id");
        assertThat(liveCharges(id))
                .as("a held reservation's charges (global and loop)")
                .containsOnly(60L);
        reserve(loop, 50, null, null).then().statusCode(409);

        StateApi.api().delete("/api/v1/budget/reservations/{id}", id).then().statusCode(200);
        assertThat(liveCharges(id)).as("released").isEmpty();
        String other =
                reserve(loop, 50, null, null).then().statusCode(201).extract().path("id");
        StateApi.api().delete("/api/v1/budget/reservations/{id}", other).then().statusCode(200);

        // the released key is held again under its id: it counts again
        reserve(loop, 60, key, null).then().statusCode(201).body("id", equalTo(id));
        assertThat(liveCharges(id)).as("held again").containsOnly(60L);
        reserve(loop, 50, null, null).then().statusCode(409);

        settle(id, 30).statusCode(200);
        assertThat(liveCharges(id)).as("settled").isEmpty();
        // 30 settled + 60 held = 90 fits the cap of 100; 30 + 60 + 20 would not
        String last =
                reserve(loop, 60, null, null).then().statusCode(201).extract().path("id");
        reserve(loop, 20, null, null).then().statusCode(409);

        // a hold past its expiry stops counting at once; the sweep then closes it and its charges
        QuarkusTransaction.requiringNew().run(() -> {
            for (String table : new String[] {"budget_charge SET held_until", "budget_reservation SET expires_at"}) {
                em.createNativeQuery("UPDATE " + table + " = now() - interval '1 second' WHERE "
                                + (table.startsWith("budget_charge") ? "reservation_id" : "id")
                                + " = CAST(:id AS uuid)")
                        .setParameter("id", last)
                        .executeUpdate();
            }
        });
        reserve(loop, 60, null, null).then().statusCode(201);
        ledger.sweepExpired(); // or the scheduled sweeper did already
        assertThat(status(last)).isEqualTo("expired");
        assertThat(QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                                        "SELECT count(*) FROM budget_charge WHERE reservation_id = CAST(:id AS uuid)"
                                                + " AND held_until IS NOT NULL")
                                .setParameter("id", last)
                                .getSingleResult())
                        .longValue()))
                .as("charges of the swept hold still marked live")
                .isZero();
    }

    private static Response reserve(String loop, long tokens, String key, Long loopDailyTokens) {
        StringBuilder body = new StringBuilder("{\"scopes\":[{\"kind\":\"global\"},{\"kind\":\"loop\",\"id\":\"")
                .append(loop)
                .append("\"}],\"tokens\":")
                .append(tokens)
                .append(",\"ttlSeconds\":600");
        if (key != null) {
            body.append(",\"idempotencyKey\":\"").append(key).append('"');
        }
        if (loopDailyTokens != null) {
            body.append(",\"loopDailyTokens\":").append(loopDailyTokens);
        }
        return StateApi.api()
                .contentType("application/json")
                .body(body.append('}').toString())
                .post("/api/v1/budget/reservations");
    }

    private static ValidatableResponse settle(String id, long tokens) {
        return StateApi.api()
                .contentType("application/json")
                .body("{\"actualTokens\":" + tokens + "}")
                .post("/api/v1/budget/reservations/{id}/settle", id)
                .then();
    }

    private static void setCap(String loop, long dailyTokens) {
        StateApi.api()
                .contentType("application/json")
                .body("{\"scope\":{\"kind\":\"loop\",\"id\":\"" + loop + "\"},\"dailyTokens\":" + dailyTokens + "}")
                .put("/api/v1/budget/caps")
                .then()
                .statusCode(200);
    }

    /** The tokens each charge of a reservation holds while its hold is live; empty once it is closed. */
    private List<Long> liveCharges(String id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Number> rows = em.createNativeQuery("SELECT held_tokens FROM budget_charge"
                            + " WHERE reservation_id = CAST(:id AS uuid) AND held_until > now()")
                    .setParameter("id", id)
                    .getResultList();
            return rows.stream().map(Number::longValue).toList();
        });
    }

    private String status(String id) {
        return QuarkusTransaction.requiringNew()
                .call(() -> (String)
                        em.createNativeQuery("SELECT status FROM budget_reservation WHERE id = CAST(:id AS uuid)")
                                .setParameter("id", id)
                                .getSingleResult());
    }

    private long rowsWithKey(String key) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number)
                        em.createNativeQuery("SELECT count(*) FROM budget_reservation WHERE idempotency_key = :key")
                                .setParameter("key", key)
                                .getSingleResult())
                .longValue());
    }

    private long periodSettled(String loop) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                                "SELECT settled FROM budget_period WHERE scope_kind = 'loop' AND scope_id = :id"
                                        + " AND day = :day")
                        .setParameter("id", loop)
                        .setParameter("day", LocalDate.now(ZoneOffset.UTC))
                        .getSingleResult())
                .longValue());
    }
}
