package dev.loopline.state.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.schemas.json.Json;
import dev.loopline.state.StateApi;
import dev.loopline.state.TestKafka;
import dev.loopline.state.TickEvents;
import dev.loopline.state.common.StateChannels;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Money caps over HTTP against the real database: a daily USD cap per scope, next to or instead of a token cap, holds
 * under concurrency, refuses in its own unit, fails closed without a priced model, and trips the thresholds.
 * Test prices ({@code %test.loopline.budget.prices}): priced-model $3 / $15, cheap-model $0.25 / $1.25 per Mtok.
 */
@QuarkusTest
class BudgetMoneyCapTest {

    private static final int CLIENTS = 16;
    private static final int REQUESTS_PER_CLIENT = 150;
    private static final Map<String, BigDecimal> MAX_PER_MTOK =
            Map.of("priced-model", new BigDecimal("15"), "cheap-model", new BigDecimal("1.25"));

    @Inject
    EntityManager em;

    /** What one client saw for one reservation. */
    record Outcome(
            int status,
            UUID id,
            long tokens,
            long maxTokens,
            String model,
            String finalStatus,
            long settled,
            long overshoot,
            String settledModel,
            BigDecimal cost) {}

    /**
     * Settle calls a client made beyond what it expected: within the declared maximum (always granted, as overshoot),
     * above it (always refused with 422), and at a dearer model than reserved beyond the held money (granted when it
     * fits under the money caps, 409 otherwise).
     */
    record Overshoots(int withinMaximum, int aboveMaximum, int dearerGranted, int dearerRefused) {}

    @Test
    void neitherMoneyNorTokenCapIsExceededUnderConcurrentClientsWithMixedModels() throws Exception {
        String team = TickEvents.newLoopId();
        List<String> loops = List.of(TickEvents.newLoopId(), TickEvents.newLoopId(), TickEvents.newLoopId());
        // team: both units; loop 0: money only; loop 1: both; loop 2: none of its own (the team's caps limit it)
        Map<String, BigDecimal> usdCaps = Map.of(
                team,
                new BigDecimal("0.80"),
                loops.get(0),
                new BigDecimal("0.25"),
                loops.get(1),
                new BigDecimal("0.30"));
        Map<String, Long> tokenCaps = Map.of(team, 400_000L, loops.get(1), 30_000L);
        setCap("team", team, 400_000L, "0.80");
        setCap("loop", loops.get(0), null, "0.25");
        setCap("loop", loops.get(1), 30_000L, "0.30");

        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<List<Outcome>>> clients = new ArrayList<>();
        List<Overshoots> overshoots = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(pool.submit(() -> runClient(http, team, loops, overshoots)));
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<List<Outcome>> client : clients) {
            outcomes.addAll(client.get());
        }
        pool.shutdown();

        List<Outcome> granted = outcomes.stream().filter(o -> o.status() == 201).toList();
        assertThat(outcomes).hasSize(CLIENTS * REQUESTS_PER_CLIENT);
        assertThat(granted).isNotEmpty();
        assertThat(outcomes.stream().filter(o -> o.status() == 409).map(Outcome::finalStatus))
                .as("refusals by the money caps")
                .contains("usd");
        assertThat(overshoots.stream().mapToInt(Overshoots::withinMaximum).sum())
                .as("overshoots within the declared maximum")
                .isPositive();
        assertThat(overshoots.stream().mapToInt(Overshoots::aboveMaximum).sum())
                .as("settlements above the declared maximum (refused)")
                .isPositive();
        assertThat(overshoots.stream().mapToInt(Overshoots::dearerGranted).sum())
                .as("settlements at a dearer model that fitted")
                .isPositive();
        assertThat(granted.stream().map(Outcome::finalStatus)).contains("settled", "released", "held");

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        QuarkusTransaction.requiringNew().run(() -> {
            // every 201 has exactly its row, holding the upper bound of its cost, in the state the client left it
            Map<UUID, Row> rows = new HashMap<>();
            chargedTo("team", team, today).forEach(r -> rows.put(r.id(), r));
            assertThat(rows).hasSize(granted.size());
            for (Outcome o : granted) {
                Row row = rows.get(o.id());
                assertThat(row).as("row of granted reservation %s", o.id()).isNotNull();
                // the ledger holds the declared maximum and keeps the expectation when it is lower
                assertThat(row.tokens()).isEqualTo(o.maxTokens());
                assertThat(row.expectedTokens()).isEqualTo(o.maxTokens() > o.tokens() ? o.tokens() : null);
                assertThat(row.model()).isEqualTo(o.settledModel() != null ? o.settledModel() : o.model());
                assertThat(row.heldUsd()).isEqualByComparingTo(maxCost(o.model(), o.maxTokens()));
                assertThat(row.status()).as("status of %s", o.id()).isEqualTo(o.finalStatus());
                if (o.finalStatus().equals("settled")) {
                    assertThat(row.settledTokens()).isEqualTo(o.settled());
                    assertThat(row.overshootTokens()).isEqualTo(o.overshoot());
                    assertThat(row.costUsd()).isEqualByComparingTo(o.cost());
                } else {
                    assertThat(row.overshootTokens()).isNull();
                }
            }
            // per scope-day, re-added row by row: settled + live holds ≤ cap in both units, and the period row's
            // totals are the sums of its reservations
            Instant now = Instant.now();
            List<String[]> scopes = new ArrayList<>();
            scopes.add(new String[] {"team", team});
            loops.forEach(l -> scopes.add(new String[] {"loop", l}));
            for (String[] scope : scopes) {
                long used = 0;
                long settled = 0;
                long overshoot = 0;
                BigDecimal usedUsd = BigDecimal.ZERO;
                BigDecimal settledUsd = BigDecimal.ZERO;
                for (Row row : chargedTo(scope[0], scope[1], today)) {
                    if (row.status().equals("settled")) {
                        used += row.settledTokens();
                        settled += row.settledTokens();
                        overshoot += row.overshootTokens();
                        usedUsd = usedUsd.add(row.costUsd());
                        settledUsd = settledUsd.add(row.costUsd());
                    } else if (row.status().equals("held") && row.expiresAt().isAfter(now)) {
                        used += row.tokens();
                        usedUsd = usedUsd.add(row.heldUsd());
                    }
                }
                String name = scope[0] + ":" + scope[1];
                if (usdCaps.containsKey(scope[1])) {
                    assertThat(usedUsd).as("settled + held USD of %s", name).isLessThanOrEqualTo(usdCaps.get(scope[1]));
                }
                if (tokenCaps.containsKey(scope[1])) {
                    assertThat(used)
                            .as("settled + held tokens of %s", name)
                            .isLessThanOrEqualTo(tokenCaps.get(scope[1]));
                }
                Object[] period = period(scope[0], scope[1], today);
                assertThat(((Number) period[0]).longValue())
                        .as("settled tokens of %s", name)
                        .isEqualTo(settled);
                assertThat((BigDecimal) period[1]).as("settled USD of %s", name).isEqualByComparingTo(settledUsd);
                assertThat(((Number) period[2]).longValue())
                        .as("overshoot of %s", name)
                        .isEqualTo(overshoot);
            }
        });
    }

    private List<Outcome> runClient(HttpClient http, String team, List<String> loops, List<Overshoots> overshoots)
            throws Exception {
        List<Outcome> seen = new ArrayList<>();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int withinMaximum = 0;
        int aboveMaximum = 0;
        int dearerGranted = 0;
        int dearerRefused = 0;
        for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
            String loop = loops.get(random.nextInt(loops.size()));
            String model = random.nextBoolean() ? "priced-model" : "cheap-model";
            long tokens = 1 + random.nextInt(400);
            // half the reservations declare a maximum above what they expect
            long max = random.nextBoolean() ? tokens : tokens + 1 + random.nextLong(tokens / 2 + 1);
            String body = "{\"scopes\":[{\"kind\":\"loop\",\"id\":\"" + loop + "\"},{\"kind\":\"team\",\"id\":\"" + team
                    + "\"}],\"tokens\":" + tokens + (max > tokens ? ",\"maxTokens\":" + max : "") + ",\"model\":\""
                    + model + "\",\"ttlSeconds\":600}";
            HttpResponse<String> reserved =
                    http.send(post("/api/v1/budget/reservations", body), HttpResponse.BodyHandlers.ofString());
            if (reserved.statusCode() != 201) {
                assertThat(reserved.statusCode()).as(reserved.body()).isEqualTo(409);
                assertThat(reserved.body()).contains("budget-exhausted");
                // a refusal's unit stands in its final status
                String unit = reserved.body().contains("\"unit\":\"usd\"") ? "usd" : "tokens";
                seen.add(new Outcome(409, null, tokens, max, model, unit, 0, 0, null, null));
                continue;
            }
            JsonPath grant = JsonPath.from(reserved.body());
            assertThat(grant.getLong("tokens")).isEqualTo(tokens);
            assertThat(grant.getLong("maxTokens")).isEqualTo(max);
            UUID id = UUID.fromString(grant.getString("id"));
            Outcome held = new Outcome(201, id, tokens, max, model, "held", 0, 0, null, null);
            int action = random.nextInt(7);
            if (action <= 3) {
                // 0: within the expectation (model named or left to the reservation's); 1: beyond it, within the
                // declared maximum; 2: above the declared maximum; 3: a dearer model than reserved (more money than
                // held when the reservation was cheap)
                long actual =
                        switch (action) {
                            case 1 -> max > tokens ? tokens + 1 + random.nextLong(max - tokens) : tokens;
                            case 2 -> max + 1 + random.nextLong(tokens);
                            default -> random.nextLong(tokens + 1);
                        };
                String settleModel = action == 3 ? "priced-model" : model;
                long input = random.nextLong(actual + 1);
                String settleBody = "{\"actualTokens\":" + actual + ",\"inputTokens\":" + input
                        + (action == 0 && random.nextBoolean() ? "" : ",\"model\":\"" + settleModel + "\"") + "}";
                HttpResponse<String> settled = http.send(
                        post("/api/v1/budget/reservations/" + id + "/settle", settleBody),
                        HttpResponse.BodyHandlers.ofString());
                if (action == 2) {
                    assertThat(settled.statusCode()).as(settled.body()).isEqualTo(422);
                    assertThat(settled.body()).contains("settle-exceeds-maximum", "at most " + max);
                    aboveMaximum++;
                    seen.add(held);
                    continue;
                }
                boolean dearer = action == 3 && model.equals("cheap-model");
                if (dearer && settled.statusCode() == 409) {
                    assertThat(settled.body()).contains("budget-exhausted");
                    dearerRefused++;
                    seen.add(held);
                    continue;
                }
                assertThat(settled.statusCode()).as(settled.body()).isEqualTo(200);
                JsonPath state = JsonPath.from(settled.body());
                long overshoot = Math.max(0, actual - tokens);
                assertThat(state.getLong("overshootTokens")).isEqualTo(overshoot);
                withinMaximum += overshoot > 0 ? 1 : 0;
                dearerGranted += dearer ? 1 : 0;
                BigDecimal cost = new BigDecimal(state.getString("costUsd"));
                if (action != 3) {
                    assertThat(cost).isLessThanOrEqualTo(maxCost(model, max));
                }
                seen.add(new Outcome(201, id, tokens, max, model, "settled", actual, overshoot, settleModel, cost));
            } else if (action == 4) {
                HttpResponse<String> released = http.send(
                        request("/api/v1/budget/reservations/" + id).DELETE().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
                seen.add(new Outcome(201, id, tokens, max, model, "released", 0, 0, null, null));
            } else {
                seen.add(held);
            }
        }
        overshoots.add(new Overshoots(withinMaximum, aboveMaximum, dearerGranted, dearerRefused));
        return seen;
    }

    @Test
    void aMoneyCappedScopeRefusesAReservationWithoutAPricedModelAndHoldsNothing() {
        String loop = TickEvents.newLoopId();
        String uncapped = TickEvents.newLoopId();
        setCap("loop", loop, null, "1.00");

        for (String model : new String[] {null, "mock"}) {
            JsonPath problem = StateApi.api()
                    .contentType("application/json")
                    .body(reserveBody(List.of(loop, uncapped), 100, model))
                    .post("/api/v1/budget/reservations")
                    .then()
                    .statusCode(422)
                    .contentType("application/problem+json")
                    .extract()
                    .jsonPath();
            assertThat(problem.getString("title")).isEqualTo("Priced model required");
            assertThat(problem.getString("scope.kind")).isEqualTo("loop");
            assertThat(problem.getString("scope.id")).isEqualTo(loop);
            assertThat(problem.getString("model")).isEqualTo(model);
            assertThat(problem.getList("pricedModels", String.class)).containsExactly("cheap-model", "priced-model");
            assertThat(problem.getString("detail")).contains("daily USD cap", "cheap-model, priced-model");
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(QuarkusTransaction.requiringNew().call(() -> chargedTo("loop", loop, today)))
                .isEmpty();
        assertThat(QuarkusTransaction.requiringNew().call(() -> chargedTo("loop", uncapped, today)))
                .isEmpty();

        // without a money cap a model is optional, and an unpriced one holds no money
        StateApi.api()
                .contentType("application/json")
                .body(reserveBody(List.of(uncapped), 100, "mock"))
                .post("/api/v1/budget/reservations")
                .then()
                .statusCode(201)
                .body("model", equalTo("mock"))
                .body("heldUsd", equalTo(null));
        // a priced model passes and holds its tokens at the higher price: 100 × $15 / Mtok
        JsonPath granted = StateApi.api()
                .contentType("application/json")
                .body(reserveBody(List.of(loop, uncapped), 100, "priced-model"))
                .post("/api/v1/budget/reservations")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        assertThat(new BigDecimal(granted.getString("heldUsd"))).isEqualByComparingTo("0.0015");
    }

    @Test
    void aMoneyRefusalNamesTheScopeTheUnitWhatIsLeftAndWhenItResets() {
        String loop = TickEvents.newLoopId();
        setCap("loop", loop, 1_000_000L, "0.05");
        reserve(loop, 3_000, "priced-model").then().statusCode(201); // holds $0.045

        JsonPath refusal = reserve(loop, 1_000, "priced-model") // would hold $0.015
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .extract()
                .jsonPath();
        assertThat(refusal.getString("title")).isEqualTo("Money budget exhausted");
        assertThat(refusal.getString("unit")).isEqualTo("usd");
        assertThat(refusal.getString("scope.id")).isEqualTo(loop);
        assertThat(new BigDecimal(refusal.getString("capUsd"))).isEqualByComparingTo("0.05");
        assertThat(new BigDecimal(refusal.getString("heldUsd"))).isEqualByComparingTo("0.045");
        assertThat(new BigDecimal(refusal.getString("spentUsd"))).isEqualByComparingTo("0");
        assertThat(new BigDecimal(refusal.getString("requestedUsd"))).isEqualByComparingTo("0.015");
        assertThat(new BigDecimal(refusal.getString("remainingUsd"))).isEqualByComparingTo("0.005");
        assertThat(refusal.getString("cap")).isNull();
        assertThat(refusal.getString("detail")).contains("Money budget of loop:" + loop, "$0.005 left");
        assertThat(Instant.parse(refusal.getString("resetsAt")))
                .isEqualTo(LocalDate.now(ZoneOffset.UTC)
                        .plusDays(1)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant());
        // the same tokens at the cheap model fit: 1,000 × $1.25 / Mtok
        reserve(loop, 1_000, "cheap-model").then().statusCode(201);
        // a token refusal says its unit too
        String tokenLoop = TickEvents.newLoopId();
        setCap("loop", tokenLoop, 10L, null);
        reserve(tokenLoop, 11, null).then().statusCode(409).body("unit", equalTo("tokens"));
    }

    @Test
    void aSettlementBeyondTheHeldMoneyMustFitUnderTheMoneyCap() {
        String loop = TickEvents.newLoopId();
        setCap("loop", loop, null, "0.10");
        String cheap = reserve(loop, 5_000, "cheap-model")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        reserve(loop, 6_000, "priced-model").then().statusCode(201); // holds $0.09

        // 5,000 output tokens at the dearer model: $0.075, far beyond the $0.00625 held; $0.09 held by the other
        JsonPath refusal = StateApi.api()
                .contentType("application/json")
                .body("{\"actualTokens\":5000,\"model\":\"priced-model\"}")
                .post("/api/v1/budget/reservations/{id}/settle", cheap)
                .then()
                .statusCode(409)
                .extract()
                .jsonPath();
        assertThat(refusal.getString("unit")).isEqualTo("usd");
        assertThat(new BigDecimal(refusal.getString("requestedUsd"))).isEqualByComparingTo("0.06875");
        // settled at the reserved model (named by the reservation, not by the settlement): within its hold
        JsonPath settled = StateApi.api()
                .contentType("application/json")
                .body("{\"actualTokens\":5000,\"inputTokens\":4000}")
                .post("/api/v1/budget/reservations/{id}/settle", cheap)
                .then()
                .statusCode(200)
                .body("model", equalTo("cheap-model"))
                .extract()
                .jsonPath();
        // 4,000 × $0.25 + 1,000 × $1.25 per Mtok
        assertThat(new BigDecimal(settled.getString("costUsd"))).isEqualByComparingTo("0.00225");
        // a money-capped scope cannot settle at an unpriced model: the cost would escape the cap
        String other = reserve(loop, 10, "cheap-model")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        StateApi.api()
                .contentType("application/json")
                .body("{\"actualTokens\":10,\"model\":\"mock\"}")
                .post("/api/v1/budget/reservations/{id}/settle", other)
                .then()
                .statusCode(422)
                .body("model", equalTo("mock"));
    }

    @Test
    void capsTakeTokensOrUsdOrBothAndTheOverviewShowsTheMoney() {
        String loop = TickEvents.newLoopId();
        JsonPath neither = StateApi.api()
                .contentType("application/json")
                .body("{\"scope\":{\"kind\":\"loop\",\"id\":\"" + loop + "\"}}")
                .put("/api/v1/budget/caps")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .extract()
                .jsonPath();
        assertThat(neither.getList("errors.field", String.class)).containsExactly("dailyTokens", "dailyUsd");
        StateApi.api()
                .contentType("application/json")
                .body("{\"scope\":{\"kind\":\"loop\",\"id\":\"" + loop + "\"},\"dailyUsd\":-1}")
                .put("/api/v1/budget/caps")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("dailyUsd"));

        JsonPath moneyOnly = setCap("loop", loop, null, "2.5");
        assertThat(moneyOnly.getString("cap")).isNull();
        assertThat(new BigDecimal(moneyOnly.getString("usdCap"))).isEqualByComparingTo("2.5");
        // a unit left out keeps its stored cap
        JsonPath both = setCap("loop", loop, 50_000L, null);
        assertThat(both.getLong("cap")).isEqualTo(50_000L);
        assertThat(new BigDecimal(both.getString("usdCap"))).isEqualByComparingTo("2.5");

        String id = reserve(loop, 20_000, "priced-model")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        StateApi.api()
                .contentType("application/json")
                .body("{\"actualTokens\":20000,\"inputTokens\":10000}")
                .post("/api/v1/budget/reservations/{id}/settle", id)
                .then()
                .statusCode(200); // 10,000 × $3 + 10,000 × $15 per Mtok = $0.18
        reserve(loop, 10_000, "cheap-model").then().statusCode(201); // holds $0.0125

        JsonPath budget = StateApi.budgetOf(loop);
        assertThat(new BigDecimal(budget.getString("usdCap"))).isEqualByComparingTo("2.5");
        assertThat(new BigDecimal(budget.getString("usdSpent"))).isEqualByComparingTo("0.18");
        assertThat(new BigDecimal(budget.getString("usdHeld"))).isEqualByComparingTo("0.0125");
        assertThat(new BigDecimal(budget.getString("usdRemaining"))).isEqualByComparingTo("2.3075");
        assertThat(new BigDecimal(budget.getString("usdBurnRatePerHour")))
                .isGreaterThanOrEqualTo(new BigDecimal("0.18"));
        assertThat(budget.getLong("remaining")).isEqualTo(20_000L);
        // a scope without a money cap shows its money, but no money cap figures
        String plain = TickEvents.newLoopId();
        setCap("loop", plain, 1_000L, null);
        JsonPath after = StateApi.api().get("/api/v1/budget").then().extract().jsonPath();
        String plainScope = "[" + after.getList("scope.id", String.class).indexOf(plain) + "].";
        assertThat(after.getString(plainScope + "usdCap")).isNull();
        assertThat(after.getString(plainScope + "usdRemaining")).isNull();
        assertThat(after.getString(plainScope + "usdBurnRatePerHour")).isNull();
        assertThat(new BigDecimal(after.getString(plainScope + "usdHeld"))).isEqualByComparingTo("0");
    }

    @Test
    void thresholdsFollowTheUnitWithTheHigherFractionOfItsCap() throws Exception {
        String loop = TickEvents.newLoopId();
        setCap("loop", loop, 1_000_000L, "0.10");
        String topic = ConfigProvider.getConfig()
                .getValue("mp.messaging.outgoing." + StateChannels.CONTROL + ".topic", String.class);
        try (TestKafka.TopicReader reader = new TestKafka.TopicReader(topic)) {
            // 6,000 tokens: 0.6 % of the token cap, but $0.09 = 90 % of the money cap
            reserve(loop, 6_000, "priced-model").then().statusCode(201);
            assertThat(crossings(loop))
                    .containsExactly(
                            List.of("report-only", "usd", "0.090000000", "0.100000000"),
                            List.of("alert", "usd", "0.090000000", "0.100000000"));

            // the other way round: 95 % of the token cap, a trace of the money cap
            String tokenLoop = TickEvents.newLoopId();
            setCap("loop", tokenLoop, 1_000L, "1000");
            reserve(tokenLoop, 950, "cheap-model").then().statusCode(201);
            assertThat(crossings(tokenLoop))
                    .containsExactly(
                            List.of("report-only", "tokens", "950", "1000"), List.of("alert", "tokens", "950", "1000"));

            // the alert on the control topic counts a money crossing in whole cents, and says so
            List<ConsumerRecord<String, String>> published = Awaitility.await()
                    .atMost(StateApi.TIMEOUT)
                    .until(
                            () -> reader.poll().stream()
                                    .filter(r -> ("budget:loop:" + loop).equals(r.key()))
                                    .toList(),
                            records -> !records.isEmpty());
            JsonNode alert =
                    Json.mapper().readTree(published.get(published.size() - 1).value());
            assertThat(alert.get("percent").asInt()).isEqualTo(90);
            assertThat(alert.get("used").asLong()).isEqualTo(9L);
            assertThat(alert.get("cap").asLong()).isEqualTo(10L);
            assertThat(alert.get("unit").asText()).isEqualTo("usd-cents");
        }
    }

    private List<List<String>> crossings(String loop) {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery(
                            """
                            SELECT level, unit, COALESCE(CAST(used_usd AS varchar), CAST(used AS varchar)),
                                   COALESCE(CAST(cap_usd AS varchar), CAST(cap AS varchar))
                              FROM budget_threshold_crossing
                             WHERE scope_kind = 'loop' AND scope_id = :id ORDER BY percent
                            """)
                    .setParameter("id", loop)
                    .getResultList();
            return rows.stream()
                    .map(r -> List.of((String) r[0], (String) r[1], (String) r[2], (String) r[3]))
                    .toList();
        });
    }

    /** The USD a hold of {@code tokens} at {@code model} must hold: every token at the higher price, rounded up. */
    private static BigDecimal maxCost(String model, long tokens) {
        return MAX_PER_MTOK
                .get(model)
                .multiply(BigDecimal.valueOf(tokens))
                .divide(BigDecimal.valueOf(1_000_000), 9, RoundingMode.UP);
    }

    private static String reserveBody(List<String> loops, long tokens, String model) {
        StringBuilder scopes = new StringBuilder();
        for (String loop : loops) {
            scopes.append(scopes.isEmpty() ? "" : ",")
                    .append("{\"kind\":\"loop\",\"id\":\"")
                    .append(loop)
                    .append("\"}");
        }
        return "{\"scopes\":[" + scopes + "],\"tokens\":" + tokens
                + (model == null ? "" : ",\"model\":\"" + model + "\"") + ",\"ttlSeconds\":600}";
    }

    private static io.restassured.response.Response reserve(String loop, long tokens, String model) {
        return StateApi.api()
                .contentType("application/json")
                .body(reserveBody(List.of(loop), tokens, model))
                .post("/api/v1/budget/reservations");
    }

    private static JsonPath setCap(String kind, String id, Long dailyTokens, String dailyUsd) {
        return StateApi.api()
                .contentType("application/json")
                .body("{\"scope\":{\"kind\":\"" + kind + "\",\"id\":\"" + id + "\"}"
                        + (dailyTokens == null ? "" : ",\"dailyTokens\":" + dailyTokens)
                        + (dailyUsd == null ? "" : ",\"dailyUsd\":" + dailyUsd) + "}")
                .put("/api/v1/budget/caps")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
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

    /** One reservation charging a scope-day, as the ledger has it. */
    record Row(
            UUID id,
            long tokens,
            String status,
            Long settledTokens,
            Instant expiresAt,
            String model,
            BigDecimal heldUsd,
            BigDecimal costUsd,
            Long expectedTokens,
            Long overshootTokens) {}

    @SuppressWarnings("unchecked")
    private List<Row> chargedTo(String kind, String id, LocalDate day) {
        List<Object[]> rows = em.createNativeQuery(
                        """
                        SELECT r.id, r.tokens, r.status, r.settled_tokens, r.expires_at, r.model, r.held_usd, r.cost_usd,
                               r.expected_tokens, r.overshoot_tokens
                          FROM budget_reservation r JOIN budget_charge c ON c.reservation_id = r.id
                         WHERE c.scope_kind = :kind AND c.scope_id = :id AND c.day = :day
                        """)
                .setParameter("kind", kind)
                .setParameter("id", id)
                .setParameter("day", day)
                .getResultList();
        return rows.stream()
                .map(r -> new Row(
                        (UUID) r[0],
                        ((Number) r[1]).longValue(),
                        (String) r[2],
                        r[3] == null ? null : ((Number) r[3]).longValue(),
                        r[4] instanceof java.time.OffsetDateTime odt ? odt.toInstant() : (Instant) r[4],
                        (String) r[5],
                        (BigDecimal) r[6],
                        (BigDecimal) r[7],
                        r[8] == null ? null : ((Number) r[8]).longValue(),
                        r[9] == null ? null : ((Number) r[9]).longValue()))
                .toList();
    }

    private Object[] period(String kind, String id, LocalDate day) {
        return (Object[]) em.createNativeQuery(
                        """
                        SELECT settled, cost_usd, overshoot FROM budget_period
                         WHERE scope_kind = :kind AND scope_id = :id AND day = :day
                        """)
                .setParameter("kind", kind)
                .setParameter("id", id)
                .setParameter("day", day)
                .getSingleResult();
    }
}
