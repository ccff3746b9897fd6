package dev.loopline.state.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.loopline.state.StateApi;
import dev.loopline.state.TickEvents;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Budget reservations over HTTP against the real database: the cap holds under concurrency. */
@QuarkusTest
class BudgetReservationTest {

    private static final int CLIENTS = 16;
    private static final int REQUESTS_PER_CLIENT = 130;

    @Inject
    EntityManager em;

    @Inject
    BudgetLedgerService budget;

    /** What one client saw for one request. */
    record Outcome(int status, UUID id, long tokens, String loop, String finalStatus, long settled) {}

    @Test
    void reservationNeverExceedsDailyCapUnderConcurrentClients() throws Exception {
        String team = TickEvents.newLoopId();
        List<String> loops = List.of(TickEvents.newLoopId(), TickEvents.newLoopId(), TickEvents.newLoopId());
        Map<String, Long> caps = Map.of(team, 5_000L, loops.get(0), 2_000L, loops.get(1), 2_500L);
        setCap("team", team, 5_000);
        setCap("loop", loops.get(0), 2_000);
        setCap("loop", loops.get(1), 2_500);
        // loops.get(2) has no cap of its own: only the team's cap limits it

        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<List<Outcome>>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(pool.submit(() -> runClient(http, team, loops)));
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<List<Outcome>> client : clients) {
            outcomes.addAll(client.get());
        }
        pool.shutdown();

        List<Outcome> granted = outcomes.stream().filter(o -> o.status() == 201).toList();
        long refused = outcomes.stream().filter(o -> o.status() == 409).count();
        assertThat(outcomes).hasSize(CLIENTS * REQUESTS_PER_CLIENT);
        assertThat(granted.size() + refused).isEqualTo(outcomes.size());
        assertThat(granted).isNotEmpty();
        assertThat(refused).isPositive();

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        QuarkusTransaction.requiringNew().run(() -> {
            // every 201 has exactly its row, in the state the client left it
            Map<UUID, Object[]> rows = reservationsOf(team);
            assertThat(rows).hasSize(granted.size());
            for (Outcome o : granted) {
                Object[] row = rows.get(o.id());
                assertThat(row).as("row of granted reservation %s", o.id()).isNotNull();
                assertThat(((Number) row[1]).longValue()).isEqualTo(o.tokens());
                assertThat(row[2]).isEqualTo(o.finalStatus());
                if (o.finalStatus().equals("settled")) {
                    assertThat(((Number) row[3]).longValue()).isEqualTo(o.settled());
                }
            }
            // settled + live holds ≤ cap, per capped scope, recomputed row by row from the ledger
            Instant now = Instant.now();
            for (Map.Entry<String, Long> cap : caps.entrySet()) {
                String kind = cap.getKey().equals(team) ? "team" : "loop";
                long used = 0;
                long settled = 0;
                for (Object[] row : chargedTo(kind, cap.getKey(), today)) {
                    String status = (String) row[2];
                    if (status.equals("settled")) {
                        used += ((Number) row[3]).longValue();
                        settled += ((Number) row[3]).longValue();
                    } else if (status.equals("held") && ((Instant) row[4]).isAfter(now)) {
                        used += ((Number) row[1]).longValue();
                    }
                }
                assertThat(used)
                        .as("settled + held of %s:%s", kind, cap.getKey())
                        .isLessThanOrEqualTo(cap.getValue());
                assertThat(periodSettled(kind, cap.getKey(), today)).isEqualTo(settled);
            }
        });
    }

    private List<Outcome> runClient(HttpClient http, String team, List<String> loops) throws Exception {
        List<Outcome> seen = new ArrayList<>();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
            String loop = loops.get(random.nextInt(loops.size()));
            long tokens = 1 + random.nextInt(40);
            String body = "{\"scopes\":[{\"kind\":\"loop\",\"id\":\"" + loop + "\"},{\"kind\":\"team\",\"id\":\"" + team
                    + "\"}],\"tokens\":" + tokens + ",\"ttlSeconds\":600}";
            HttpResponse<String> reserved =
                    http.send(post("/api/v1/budget/reservations", body), HttpResponse.BodyHandlers.ofString());
            if (reserved.statusCode() != 201) {
                assertThat(reserved.statusCode()).as(reserved.body()).isEqualTo(409);
                seen.add(new Outcome(409, null, tokens, loop, null, 0));
                continue;
            }
            UUID id = UUID.fromString(JsonPath.from(reserved.body()).getString("id"));
            int action = random.nextInt(3);
            if (action == 0) {
                long actual = random.nextLong(tokens + 1);
                HttpResponse<String> settled = http.send(
                        post(
                                "/api/v1/budget/reservations/" + id + "/settle",
                                "{\"actualTokens\":" + actual + ",\"model\":\"mock\"}"),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(settled.statusCode()).as(settled.body()).isEqualTo(200);
                seen.add(new Outcome(201, id, tokens, loop, "settled", actual));
            } else if (action == 1) {
                HttpResponse<String> released = http.send(
                        request("/api/v1/budget/reservations/" + id).DELETE().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
                seen.add(new Outcome(201, id, tokens, loop, "released", 0));
            } else {
                seen.add(new Outcome(201, id, tokens, loop, "held", 0));
            }
        }
        return seen;
    }

    @Test
    void refusalNamesTheExhaustedScopeAndWhenItResets() {
        String loop = TickEvents.newLoopId();
        setCap("loop", loop, 100);
        reserve(loop, 80, 600).then().statusCode(201);

        JsonPath refusal = reserve(loop, 30, 600)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .extract()
                .jsonPath();
        assertThat(refusal.getString("title")).isEqualTo("Budget exhausted");
        assertThat(refusal.getString("scope.kind")).isEqualTo("loop");
        assertThat(refusal.getString("scope.id")).isEqualTo(loop);
        assertThat(refusal.getLong("cap")).isEqualTo(100L);
        assertThat(refusal.getLong("held")).isEqualTo(80L);
        assertThat(refusal.getLong("spent")).isZero();
        assertThat(refusal.getLong("requested")).isEqualTo(30L);
        assertThat(Instant.parse(refusal.getString("resetsAt")))
                .isEqualTo(LocalDate.now(ZoneOffset.UTC)
                        .plusDays(1)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant());
        assertThat(QuarkusTransaction.requiringNew().call(() -> chargedTo("loop", loop, LocalDate.now(ZoneOffset.UTC))))
                .hasSize(1);
    }

    @Test
    void expiredHoldsStopCountingAndAreSwept() {
        String loop = TickEvents.newLoopId();
        setCap("loop", loop, 100);
        String first = reserve(loop, 100, 5).then().statusCode(201).extract().path("id");
        reserve(loop, 1, 600).then().statusCode(409);

        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> reserve(loop, 100, 600).statusCode() == 201);

        // the scheduled sweeper may have marked it already; sweeping again must be harmless
        budget.sweepExpired();
        assertThat(budget.sweepExpired()).isZero();
        String status = QuarkusTransaction.requiringNew()
                .call(() -> (String) em.createNativeQuery("SELECT status FROM budget_reservation WHERE id = :id")
                        .setParameter("id", UUID.fromString(first))
                        .getSingleResult());
        assertThat(status).isEqualTo("expired");
    }

    @Test
    void settleIsIdempotentAndTheOverviewShowsSpentHeldRemaining() {
        String loop = TickEvents.newLoopId();
        setCap("loop", loop, 100);
        String id = reserve(loop, 50, 600).then().statusCode(201).extract().path("id");
        reserve(loop, 20, 600).then().statusCode(201);

        for (int i = 0; i < 2; i++) {
            settle(id, "{\"actualTokens\":30,\"model\":\"claude\"}")
                    .statusCode(200)
                    .body("status", equalTo("settled"))
                    .body("settledTokens", is(30));
        }
        settle(id, "{\"actualTokens\":31}").statusCode(409).contentType("application/problem+json");
        StateApi.api().delete("/api/v1/budget/reservations/{id}", id).then().statusCode(409);

        JsonPath budget = StateApi.budgetOf(loop);
        assertThat(budget.getLong("cap")).isEqualTo(100L);
        assertThat(budget.getLong("spent")).isEqualTo(30L);
        assertThat(budget.getLong("held")).isEqualTo(20L);
        assertThat(budget.getLong("remaining")).isEqualTo(50L);
        assertThat(budget.getString("timeZone")).isEqualTo("UTC");
    }

    @Test
    void aTeamZoneSetAfterReservationsMovesTheDaysOfItsTeamAndLoops() {
        String team = TickEvents.newLoopId();
        String loop = TickEvents.newLoopId();
        String body = "{\"scopes\":[{\"kind\":\"loop\",\"id\":\"" + loop + "\"},{\"kind\":\"team\",\"id\":\"" + team
                + "\"}],\"tokens\":5,\"ttlSeconds\":600}";
        JsonPath before = StateApi.api()
                .contentType("application/json")
                .body(body)
                .post("/api/v1/budget/reservations")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        assertThat(before.getList("charges.day", String.class))
                .containsOnly(LocalDate.now(ZoneOffset.UTC).toString());

        // UTC+14 and UTC-11: at any moment at least one of them is on another date than UTC
        String zone = LocalDate.now(java.time.ZoneId.of("Pacific/Kiritimati")).equals(LocalDate.now(ZoneOffset.UTC))
                ? "Pacific/Pago_Pago"
                : "Pacific/Kiritimati";
        StateApi.api()
                .contentType("application/json")
                .body("{\"scope\":{\"kind\":\"team\",\"id\":\"" + team + "\"},\"dailyTokens\":1000,\"timeZone\":\""
                        + zone + "\"}")
                .put("/api/v1/budget/caps")
                .then()
                .statusCode(200);
        JsonPath after = StateApi.api()
                .contentType("application/json")
                .body(body)
                .post("/api/v1/budget/reservations")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        String teamDay = LocalDate.now(java.time.ZoneId.of(zone)).toString();
        assertThat(teamDay).isNotEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
        assertThat(after.getList("charges.day", String.class)).containsOnly(teamDay);
        assertThat(QuarkusTransaction.requiringNew().call(() -> chargedTo("team", team, LocalDate.parse(teamDay))))
                .hasSize(1);
    }

    @Test
    void settlingWithAPricedModelRecordsItsCostOnTheReservationAndTheScopeDay() {
        String loop = TickEvents.newLoopId();
        String priced =
                reserve(loop, 5_000, 600).then().statusCode(201).extract().path("id");
        String unpriced =
                reserve(loop, 1_000, 600).then().statusCode(201).extract().path("id");

        // 600 input tokens at $3/Mtok + 400 output tokens at $15/Mtok = $0.0018 + $0.006
        JsonPath settled = settle(priced, "{\"actualTokens\":1000,\"inputTokens\":600,\"model\":\"priced-model\"}")
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(new java.math.BigDecimal(settled.getString("costUsd"))).isEqualByComparingTo("0.0078");
        // a model without prices records tokens but no cost
        JsonPath free = settle(unpriced, "{\"actualTokens\":500,\"model\":\"mock\"}")
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(free.getString("costUsd")).isNull();
        assertThat(free.getLong("settledTokens")).isEqualTo(500L);

        JsonPath budget = StateApi.budgetOf(loop);
        assertThat(budget.getLong("spent")).isEqualTo(1_500L);
        assertThat(new java.math.BigDecimal(budget.getString("costUsd"))).isEqualByComparingTo("0.0078");

        StateApi.api()
                .contentType("application/json")
                .body("{\"actualTokens\":10,\"inputTokens\":11,\"model\":\"priced-model\"}")
                .post(
                        "/api/v1/budget/reservations/{id}/settle",
                        reserve(loop, 10, 600).path("id").toString())
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("inputTokens"));
    }

    @Test
    void theDeclaredMaximumIsHeldAndSpendBeyondTheExpectationIsRecordedAsOvershoot() {
        String loop = TickEvents.newLoopId();
        setCap("loop", loop, 150);
        String body = "{\"scopes\":[{\"kind\":\"loop\",\"id\":\"" + loop
                + "\"}],\"tokens\":100,\"maxTokens\":150,\"ttlSeconds\":600}";
        io.restassured.response.ExtractableResponse<io.restassured.response.Response> created = StateApi.api()
                .contentType("application/json")
                .body(body)
                .post("/api/v1/budget/reservations")
                .then()
                .statusCode(201)
                .contentType("application/json")
                .body("tokens", is(100))
                .body("maxTokens", is(150))
                .extract();
        String id = created.path("id");
        assertThat(created.header("Location")).endsWith("/api/v1/budget/reservations/" + id);
        // the maximum is what counts against the cap: nothing is left for another hold
        reserve(loop, 1, 600).then().statusCode(409).body("held", is(150));

        // above the declared maximum: refused, and nothing changes
        settle(id, "{\"actualTokens\":151}")
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", endsWith("/settle-exceeds-maximum"))
                .body("detail", containsString("declared at most 150 tokens (100 expected)"));
        // within it: recorded, the 30 beyond the expected 100 as overshoot
        settle(id, "{\"actualTokens\":130}")
                .statusCode(200)
                .body("status", equalTo("settled"))
                .body("settledTokens", is(130))
                .body("overshootTokens", is(30))
                .body("tokens", is(100))
                .body("maxTokens", is(150));

        JsonPath budget = StateApi.budgetOf(loop);
        assertThat(budget.getLong("spent")).isEqualTo(130L);
        assertThat(budget.getLong("overshoot")).isEqualTo(30L);
        assertThat(budget.getLong("held")).isZero();
        assertThat(budget.getLong("remaining")).isEqualTo(20L);

        // a reservation without maxTokens may settle up to its tokens only
        String plain = reserve(loop, 20, 600).then().statusCode(201).extract().path("id");
        settle(plain, "{\"actualTokens\":21}")
                .statusCode(422)
                .body("detail", containsString("declared at most 20 tokens"));
        settle(plain, "{\"actualTokens\":20}").statusCode(200).body("overshootTokens", is(0));
    }

    @Test
    void invalidReservationsAreBadRequestsNamingTheField() {
        StateApi.api()
                .contentType("application/json")
                .body("{\"scopes\":[{\"kind\":\"loop\",\"id\":\"x\"}],\"tokens\":0}")
                .post("/api/v1/budget/reservations")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("tokens"));
        StateApi.api()
                .contentType("application/json")
                .body("{\"scopes\":[],\"tokens\":5}")
                .post("/api/v1/budget/reservations")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("scopes"));
        // a field of a list element is named with its position, as every service names fields
        StateApi.api()
                .contentType("application/json")
                .body("{\"scopes\":[{\"kind\":\"loop\",\"id\":\"x\"},{\"kind\":\"planet\"}],\"tokens\":5}")
                .post("/api/v1/budget/reservations")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("scopes[1].kind"));
        StateApi.api()
                .contentType("application/json")
                .body("{\"scopes\":[{\"kind\":\"loop\",\"id\":\"x\"}],\"tokens\":10,\"maxTokens\":9}")
                .post("/api/v1/budget/reservations")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("maxTokens"))
                .body("errors[0].message", containsString("must not be less than tokens (10)"));
        StateApi.api()
                .contentType("application/json")
                .body("{not json")
                .post("/api/v1/budget/reservations")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        StateApi.api()
                .contentType("application/json")
                .body("{\"actualTokens\":1}")
                .post("/api/v1/budget/reservations/{id}/settle", UUID.randomUUID())
                .then()
                .statusCode(404)
                .body("detail", containsString("No reservation"));
    }

    private static io.restassured.response.ValidatableResponse settle(String id, String json) {
        return StateApi.api()
                .contentType("application/json")
                .body(json)
                .post("/api/v1/budget/reservations/{id}/settle", id)
                .then();
    }

    private static io.restassured.response.Response reserve(String loop, long tokens, int ttlSeconds) {
        return StateApi.api()
                .contentType("application/json")
                .body("{\"scopes\":[{\"kind\":\"loop\",\"id\":\"" + loop + "\"}],\"tokens\":" + tokens
                        + ",\"ttlSeconds\":" + ttlSeconds + "}")
                .post("/api/v1/budget/reservations");
    }

    private static void setCap(String kind, String id, long dailyTokens) {
        StateApi.api()
                .contentType("application/json")
                .body("{\"scope\":{\"kind\":\"" + kind + "\",\"id\":\"" + id + "\"},\"dailyTokens\":" + dailyTokens
                        + "}")
                .put("/api/v1/budget/caps")
                .then()
                .statusCode(200)
                .body("cap", is((int) dailyTokens));
    }

    private static HttpRequest post(String path, String json) {
        return request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + StateApi.TOKEN);
    }

    /** id → [id, tokens, status, settled_tokens, expires_at] of every reservation charging the team. */
    private Map<UUID, Object[]> reservationsOf(String team) {
        return chargedTo("team", team, LocalDate.now(ZoneOffset.UTC)).stream()
                .collect(Collectors.toMap(r -> (UUID) r[0], r -> r));
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> chargedTo(String kind, String id, LocalDate day) {
        List<Object[]> rows = em.createNativeQuery(
                        """
                        SELECT r.id, r.tokens, r.status, r.settled_tokens, r.expires_at
                          FROM budget_reservation r JOIN budget_charge c ON c.reservation_id = r.id
                         WHERE c.scope_kind = :kind AND c.scope_id = :id AND c.day = :day
                        """)
                .setParameter("kind", kind)
                .setParameter("id", id)
                .setParameter("day", day)
                .getResultList();
        List<Object[]> normalised = new ArrayList<>();
        for (Object[] r : rows) {
            Object expires = r[4] instanceof java.time.OffsetDateTime odt ? odt.toInstant() : r[4];
            normalised.add(new Object[] {r[0], r[1], r[2], r[3], expires});
        }
        return Collections.unmodifiableList(normalised);
    }

    private long periodSettled(String kind, String id, LocalDate day) {
        return ((Number) em.createNativeQuery(
                                "SELECT settled FROM budget_period WHERE scope_kind = :kind AND scope_id = :id AND day = :day")
                        .setParameter("kind", kind)
                        .setParameter("id", id)
                        .setParameter("day", day)
                        .getSingleResult())
                .longValue();
    }
}
