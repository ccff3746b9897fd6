package dev.loopline.state.control;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.schemas.control.BudgetAlert;
import dev.loopline.schemas.control.ControlSnapshot;
import dev.loopline.schemas.control.KillSwitch;
import dev.loopline.schemas.json.Json;
import dev.loopline.schemas.json.SchemaValidator;
import dev.loopline.state.StateApi;
import dev.loopline.state.TestKafka;
import dev.loopline.state.TickEvents;
import dev.loopline.state.common.StateChannels;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** The kill switch: persisted, logged with who and why, and published keyed by scope on the control topic. */
@QuarkusTest
class ControlTest {

    @Inject
    EntityManager em;

    @Test
    void killAndResumeArePersistedLoggedAndPublishedKeyedByScope() throws Exception {
        String loop = TickEvents.newLoopId();
        String topic = ConfigProvider.getConfig()
                .getValue("mp.messaging.outgoing." + StateChannels.CONTROL + ".topic", String.class);
        try (TestKafka.TopicReader reader = new TestKafka.TopicReader(topic)) {
            control("kill", loop, "runaway token use", "alice")
                    .body("state", equalTo("killed"))
                    .body("by", equalTo("alice"));
            JsonPath switches = StateApi.api()
                    .get("/api/v1/control")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            int index = switches.getList("id", String.class).indexOf(loop);
            assertThat(switches.getString("[" + index + "].state")).isEqualTo("killed");
            assertThat(switches.getString("[" + index + "].reason")).isEqualTo("runaway token use");

            control("resume", loop, "fixed the prompt", "bob").body("state", equalTo("resumed"));

            List<ConsumerRecord<String, String>> ours = await().atMost(StateApi.TIMEOUT)
                    .until(
                            () -> reader.poll().stream()
                                    .filter(r -> ("loop:" + loop).equals(r.key()))
                                    .toList(),
                            records -> records.size() == 2);
            JsonNode killed = Json.mapper().readTree(ours.get(0).value());
            JsonNode resumed = Json.mapper().readTree(ours.get(1).value());
            assertThat(killed.get("state").asText()).isEqualTo("killed");
            assertThat(killed.get("scope").asText()).isEqualTo("loop");
            assertThat(killed.get("by").asText()).isEqualTo("alice");
            assertThat(resumed.get("state").asText()).isEqualTo("resumed");
            assertThat(resumed.get("reason").asText()).isEqualTo("fixed the prompt");
        }
        @SuppressWarnings("unchecked")
        List<Object[]> log = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "SELECT action, actor, reason FROM control_event WHERE scope_id = :id ORDER BY id")
                .setParameter("id", loop)
                .getResultList());
        assertThat(log).hasSize(2);
        assertThat(log.get(0)).containsExactly("kill", "alice", "runaway token use");
        assertThat(log.get(1)).containsExactly("resume", "bob", "fixed the prompt");
    }

    @Test
    void snapshotShowsKillsInForceAndBudgetAlertsNotYetLapsedToAViewer() throws Exception {
        String killed = TickEvents.newLoopId();
        String resumed = TickEvents.newLoopId();
        String spending = TickEvents.newLoopId();
        String yesterday = TickEvents.newLoopId();
        control("kill", killed, "runaway token use", "alice");
        control("kill", resumed, "flaky", "alice");
        control("resume", resumed, "fixed", "bob");
        setCap(spending, 1_000);
        reserve(spending, 850).then().statusCode(201); // report-only
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        """
                                INSERT INTO budget_threshold_crossing
                                       (scope_kind, scope_id, day, level, percent, used, cap, resets_at, crossed_at)
                                VALUES ('loop', :id, current_date - 1, 'halt', 100, 10, 10,
                                        date_trunc('day', now()), now() - interval '1 day')
                                """)
                .setParameter("id", yesterday)
                .executeUpdate());
        String viewer = StateApi.api()
                .contentType("application/json")
                .body("{\"name\":\"snapshot-" + killed + "\",\"role\":\"viewer\"}")
                .post("/api/v1/admin/tokens")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("token");
        Instant before = Instant.now();

        String body = given().auth()
                .oauth2(viewer)
                .get("/api/v1/control/snapshot")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .extract()
                .asString();

        ControlSnapshot snapshot = Json.mapper().readValue(body, ControlSnapshot.class);
        assertThat(snapshot.asOf()).isAfterOrEqualTo(before.minusSeconds(1));
        assertThat(snapshot.kills()).extracting(KillSwitch::id).contains(killed).doesNotContain(resumed);
        KillSwitch kill = snapshot.kills().stream()
                .filter(k -> k.id().equals(killed))
                .findFirst()
                .orElseThrow();
        assertThat(kill.key()).isEqualTo("loop:" + killed);
        assertThat(kill.state()).isEqualTo(KillSwitch.State.KILLED);
        assertThat(kill.reason()).isEqualTo("runaway token use");
        assertThat(kill.by()).isEqualTo("alice");
        assertThat(snapshot.budgetAlerts())
                .extracting(BudgetAlert::id)
                .contains(spending)
                .doesNotContain(yesterday);
        BudgetAlert alert = snapshot.budgetAlerts().stream()
                .filter(a -> a.id().equals(spending))
                .findFirst()
                .orElseThrow();
        assertThat(alert.key()).isEqualTo("budget:loop:" + spending);
        assertThat(alert.action()).isEqualTo(BudgetAlert.Action.REPORT_ONLY);
        assertThat(alert.used()).isEqualTo(850L);
        assertThat(alert.cap()).isEqualTo(1_000L);
        assertThat(alert.resetsAt()).isAfter(snapshot.asOf());
        // each entry is a valid control record, as on the topic
        JsonNode first = Json.mapper().readTree(body).get("budgetAlerts").get(0);
        assertThat(SchemaValidator.get().validate(SchemaValidator.CONTROL_RECORD, first))
                .isEmpty();
        given().get("/api/v1/control/snapshot").then().statusCode(401);
    }

    private static void setCap(String loop, long tokens) {
        StateApi.api()
                .contentType("application/json")
                .body("{\"scope\":{\"kind\":\"loop\",\"id\":\"" + loop + "\"},\"dailyTokens\":" + tokens + "}")
                .put("/api/v1/budget/caps")
                .then()
                .statusCode(200);
    }

    @Test
    void killedLoopGetsNoNewReservationsUntilResumed() {
        String loop = TickEvents.newLoopId();
        control("kill", loop, "stop it", "carol");

        reserve(loop)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://loopline.dev/problems/scope-killed"))
                .body("detail", equalTo("Scope loop:" + loop + " is killed: stop it (by carol)"));

        control("resume", loop, "go on", "carol");
        reserve(loop).then().statusCode(201);
    }

    private static io.restassured.response.Response reserve(String loop) {
        return reserve(loop, 5);
    }

    private static io.restassured.response.Response reserve(String loop, long tokens) {
        return StateApi.api()
                .contentType("application/json")
                .body("{\"scopes\":[{\"kind\":\"loop\",\"id\":\"" + loop + "\"}],\"tokens\":" + tokens + "}")
                .post("/api/v1/budget/reservations");
    }

    @Test
    void theControlLogListsWhoKilledAndResumedWhyAndTheBudgetThresholdsReached() {
        String loop = TickEvents.newLoopId();
        control("kill", loop, "runaway token use", "alice");
        control("resume", loop, "fixed the prompt", "bob");
        StateApi.api()
                .contentType("application/json")
                .body("{\"scope\":{\"kind\":\"loop\",\"id\":\"" + loop + "\"},\"dailyTokens\":100}")
                .put("/api/v1/budget/caps")
                .then()
                .statusCode(200);
        StateApi.api()
                .contentType("application/json")
                .body("{\"scopes\":[{\"kind\":\"loop\",\"id\":\"" + loop + "\"}],\"tokens\":85}")
                .post("/api/v1/budget/reservations")
                .then()
                .statusCode(201);

        JsonPath log = StateApi.api()
                .queryParam("scope", "loop")
                .queryParam("id", loop)
                .get("/api/v1/control/events")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(log.getList("type", String.class)).containsExactly("budget-report-only", "resume", "kill");
        assertThat(log.getList("scope.id", String.class)).containsOnly(loop);
        assertThat(log.getList("by", String.class)).containsExactly("budget-ledger", "bob", "alice");
        assertThat(log.getString("[0].reason")).contains("loop:" + loop + " reached 80%", "85 of its 100-token");
        assertThat(log.getString("[1].reason")).isEqualTo("fixed the prompt");
        assertThat(log.getString("[2].reason")).isEqualTo("runaway token use");
        Instant killedAt = Instant.parse(log.getString("[2].time"));
        // since the kill: all three; limit: the newest
        assertThat(StateApi.api()
                        .queryParam("scope", "loop")
                        .queryParam("id", loop)
                        .queryParam("since", killedAt.toString())
                        .queryParam("limit", 1)
                        .get("/api/v1/control/events")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("type", String.class))
                .containsExactly("budget-report-only");
        // unfiltered, the loop's entries are among everybody's
        assertThat(StateApi.api()
                        .queryParam("limit", 200)
                        .get("/api/v1/control/events")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("scope.id", String.class))
                .contains(loop);
        StateApi.api()
                .queryParam("scope", "team")
                .get("/api/v1/control/events")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("id"));
        StateApi.api()
                .queryParam("scope", "galaxy")
                .get("/api/v1/control/events")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("scope"));
    }

    @Test
    void killWithoutReasonOrWithUnknownScopeIsBadRequest() {
        StateApi.api()
                .contentType("application/json")
                .body("{\"scope\":\"loop\",\"id\":\"x\"}")
                .post("/api/v1/control/kill")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("reason"));
        StateApi.api()
                .contentType("application/json")
                .body("{\"scope\":\"galaxy\",\"id\":\"x\",\"reason\":\"r\"}")
                .post("/api/v1/control/kill")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("scope"));
    }

    private static io.restassured.response.ValidatableResponse control(
            String action, String loop, String reason, String by) {
        return StateApi.loopControl(action, loop, reason, by);
    }
}
