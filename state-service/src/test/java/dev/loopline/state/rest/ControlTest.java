package dev.loopline.state.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.schemas.json.Json;
import dev.loopline.state.StateApi;
import dev.loopline.state.TestKafka;
import dev.loopline.state.TickEvents;
import dev.loopline.state.messaging.StateChannels;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
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
        return StateApi.api()
                .contentType("application/json")
                .body("{\"scopes\":[{\"kind\":\"loop\",\"id\":\"" + loop + "\"}],\"tokens\":5}")
                .post("/api/v1/budget/reservations");
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
        return StateApi.api()
                .contentType("application/json")
                .body("{\"scope\":\"loop\",\"id\":\"" + loop + "\",\"reason\":\"" + reason + "\",\"by\":\"" + by
                        + "\"}")
                .post("/api/v1/control/" + action)
                .then()
                .statusCode(200)
                .contentType("application/json");
    }
}
