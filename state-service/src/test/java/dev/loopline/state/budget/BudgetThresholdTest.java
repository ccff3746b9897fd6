package dev.loopline.state.budget;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.schemas.json.Json;
import dev.loopline.state.StateApi;
import dev.loopline.state.TestKafka;
import dev.loopline.state.TickEvents;
import dev.loopline.state.WebhookStub;
import dev.loopline.state.common.StateChannels;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** 80 / 90 / 100 % of a cap: recorded once per scope-day, published on the control topic, POSTed to the webhook. */
@QuarkusTest
@QuarkusTestResource(value = WebhookStub.class, restrictToAnnotatedClass = false)
class BudgetThresholdTest {

    @Inject
    EntityManager em;

    @Test
    void eachThresholdIsRecordedOncePerScopeDayPublishedAndPosted() throws Exception {
        String loop = TickEvents.newLoopId();
        setCap(loop, 1_000);
        String topic = ConfigProvider.getConfig()
                .getValue("mp.messaging.outgoing." + StateChannels.CONTROL + ".topic", String.class);
        try (TestKafka.TopicReader reader = new TestKafka.TopicReader(topic)) {
            reserve(loop, 790);
            assertThat(crossings(loop)).isEmpty();
            reserve(loop, 20); // 810: report-only
            reserve(loop, 100); // 910: alert
            String last = reserve(loop, 90); // 1000: halt

            assertThat(crossings(loop))
                    .containsExactly(
                            List.of("report-only", 80, 810L, 1_000L),
                            List.of("alert", 90, 910L, 1_000L),
                            List.of("halt", 100, 1_000L, 1_000L));

            // back under and over again the same day: nothing new
            StateApi.api()
                    .delete("/api/v1/budget/reservations/{id}", last)
                    .then()
                    .statusCode(200);
            reserve(loop, 90);
            assertThat(crossings(loop)).hasSize(3);

            List<ConsumerRecord<String, String>> published = await().atMost(StateApi.TIMEOUT)
                    .until(
                            () -> reader.poll().stream()
                                    .filter(r -> ("budget:loop:" + loop).equals(r.key()))
                                    .toList(),
                            records -> records.size() == 3
                                    && action(records.get(2)).equals("halt"));
            JsonNode halt = Json.mapper().readTree(published.get(2).value());
            assertThat(halt.get("scope").asText()).isEqualTo("budget");
            assertThat(halt.get("kind").asText()).isEqualTo("loop");
            assertThat(halt.get("id").asText()).isEqualTo(loop);
            assertThat(halt.get("percent").asInt()).isEqualTo(100);
            assertThat(halt.get("cap").asLong()).isEqualTo(1_000L);
            assertThat(halt.get("day").asText())
                    .isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
        }

        List<Map<String, Object>> posted =
                await().atMost(StateApi.TIMEOUT).until(() -> webhookBodies(loop), bodies -> bodies.size() == 3);
        assertThat(posted).extracting(b -> b.get("action")).containsExactlyInAnyOrder("report-only", "alert", "halt");
        assertThat(posted).extracting(b -> b.get("used")).containsExactlyInAnyOrder(810, 910, 1000);
    }

    @Test
    void failingWebhookNeitherFailsTheReservationNorBlocksPublication() {
        String loop = "fail-webhook-" + TickEvents.newLoopId();
        setCap(loop, 100);
        reserve(loop, 100); // 80, 90 and 100 % at once

        assertThat(crossings(loop)).extracting(c -> c.get(0)).containsExactly("report-only", "alert", "halt");
        await().atMost(StateApi.TIMEOUT).until(() -> webhookBodies(loop).size() == 3);
        await().atMost(StateApi.TIMEOUT).until(() -> unpublished(loop) == 0);
    }

    @Test
    void overviewShowsBurnRateAndProjectedExhaustion() {
        String loop = TickEvents.newLoopId();
        String idle = TickEvents.newLoopId();
        setCap(loop, 10_000);
        setCap(idle, 10_000);
        String id = reserve(loop, 3_000);
        StateApi.api()
                .contentType("application/json")
                .body("{\"actualTokens\":3000}")
                .post("/api/v1/budget/reservations/{id}/settle", id)
                .then()
                .statusCode(200);
        Instant now = Instant.now();

        JsonPath overview = StateApi.budgetOverview();
        JsonPath budget = StateApi.scopeIn(overview, loop);
        Instant dayStart = LocalDate.now(ZoneOffset.UTC).atStartOfDay().toInstant(ZoneOffset.UTC);
        long rate = budget.getLong("burnRatePerHour");
        if (Duration.between(dayStart, now).compareTo(Duration.ofMinutes(61)) > 0) {
            // the window is exactly the last hour
            assertThat(rate).isEqualTo(3_000L);
        } else {
            // the window is the part of the day gone by: shorter than an hour, so the hourly rate is higher
            assertThat(rate).isGreaterThanOrEqualTo(3_000L);
        }
        Instant expected = now.plusMillis(Math.round(7_000 * 3_600_000.0 / rate));
        Instant resetsAt = Instant.parse(budget.getString("resetsAt"));
        if (expected.isBefore(resetsAt.minusSeconds(60))) {
            assertThat(Instant.parse(budget.getString("projectedExhaustionAt")))
                    .isBetween(expected.minusSeconds(60), expected.plusSeconds(60));
        }

        JsonPath idleBudget = StateApi.scopeIn(overview, idle);
        assertThat(idleBudget.getLong("burnRatePerHour")).isZero();
        assertThat(idleBudget.getString("projectedExhaustionAt")).isNull();
    }

    private List<List<Object>> crossings(String loop) {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery(
                            """
                            SELECT level, percent, used, cap FROM budget_threshold_crossing
                             WHERE scope_kind = 'loop' AND scope_id = :id ORDER BY percent
                            """)
                    .setParameter("id", loop)
                    .getResultList();
            List<List<Object>> result = new ArrayList<>();
            for (Object[] r : rows) {
                result.add(List.of(
                        r[0], ((Number) r[1]).intValue(), ((Number) r[2]).longValue(), ((Number) r[3]).longValue()));
            }
            return result;
        });
    }

    private long unpublished(String loop) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                                "SELECT count(*) FROM budget_threshold_crossing WHERE scope_id = :id AND published_at IS NULL")
                        .setParameter("id", loop)
                        .getSingleResult())
                .longValue());
    }

    private static List<Map<String, Object>> webhookBodies(String loop) {
        String hook = ConfigProvider.getConfig().getValue("loopline.budget.webhook-url", String.class);
        List<Map<String, Object>> all = given().baseUri(hook.replace("/hook", "/received"))
                .port(-1)
                .get()
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
        return all.stream().filter(b -> loop.equals(b.get("id"))).toList();
    }

    private static String action(ConsumerRecord<String, String> record) {
        try {
            return Json.mapper().readTree(record.value()).get("action").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void setCap(String loop, long tokens) {
        StateApi.api()
                .contentType("application/json")
                .body("{\"scope\":{\"kind\":\"loop\",\"id\":\"" + loop + "\"},\"dailyTokens\":" + tokens + "}")
                .put("/api/v1/budget/caps")
                .then()
                .statusCode(200);
    }

    private static String reserve(String loop, long tokens) {
        return StateApi.api()
                .contentType("application/json")
                .body("{\"scopes\":[{\"kind\":\"loop\",\"id\":\"" + loop + "\"}],\"tokens\":" + tokens + "}")
                .post("/api/v1/budget/reservations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }
}
