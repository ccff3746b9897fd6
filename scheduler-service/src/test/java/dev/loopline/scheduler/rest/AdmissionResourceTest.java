package dev.loopline.scheduler.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.loopline.scheduler.client.StateStub;
import dev.loopline.scheduler.client.StateStubTestResource;
import dev.loopline.schemas.control.BudgetAlert;
import dev.loopline.schemas.control.ControlScope;
import dev.loopline.schemas.control.KillSwitch;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.schemas.spec.LoopSpec;
import dev.loopline.testsupport.KafkaTestResource;
import dev.loopline.testsupport.KafkaTopics;
import dev.loopline.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler asks state-service (here {@link StateStub}, serving what the real one serves) before every tick: a
 * kill switch or a budget halt refuses the trigger, a budget in report-only runs the tick at L1, and no answer means
 * no tick.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(
        value = PostgresTestResource.class,
        restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = PostgresTestResource.DATABASE_ARG, value = "scheduler"))
@QuarkusTestResource(SpecDirTestResource.class)
@QuarkusTestResource(StateStubTestResource.class)
class AdmissionResourceTest {

    private static final String TOKEN = "Bearer test-token";

    private static StateStub state() {
        return StateStubTestResource.stub();
    }

    @AfterEach
    void nothingInForce() {
        state().serve(StateStubTestResource.baseline());
    }

    /** Returns once the scheduler has fetched what the stub serves now (a fetch begun after the change ended). */
    private static void awaitFetched() {
        int before = state().requests();
        await().atMost(Duration.ofSeconds(10)).until(() -> state().requests() >= before + 2);
    }

    /** Triggers the loop, waiting while an earlier test's tick of it is still in flight; returns the tick id. */
    private static String triggered(String loop) {
        return await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> trigger(loop).extract().response(),
                        r -> r.statusCode() != 409 || !r.asString().contains("in flight"))
                .then()
                .statusCode(202)
                .extract()
                .path("tickId");
    }

    private static ValidatableResponse trigger(String loop) {
        return given().header("Authorization", TOKEN)
                .when()
                .post("/api/v1/loops/" + loop + "/ticks")
                .then();
    }

    private static void complete(String loop, String team, String tickId) throws Exception {
        Event done = Event.of(
                "agent-service",
                Instant.now(),
                loop,
                tickId,
                team,
                1,
                new TickCompleted(TickCompleted.Outcome.REPORTED, 10, 1, "done", null, null));
        KafkaTopics.send("loopline.completions", loop, EventCodec.encode(done));
    }

    @Test
    void aKilledLoopIsNotTriggeredAndTheRefusalNamesWhoAndWhy() throws Exception {
        state().serve(StateStubTestResource.baselineWith(
                List.of(new KillSwitch(
                        ControlScope.TEAM, "ops", KillSwitch.State.KILLED, "incident 42", "carol", Instant.now())),
                List.of()));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> trigger("killable")
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", containsString("admission-refused"))
                .body("detail", allOf(containsString("carol"), containsString("incident 42"))));
        given().header("Authorization", TOKEN)
                .when()
                .get("/api/v1/schedule/killable")
                .then()
                .statusCode(200)
                .body("lastRefusal.reason", containsString("incident 42"));

        nothingInForce();
        awaitFetched();
        String tickId = triggered("killable");
        complete("killable", "ops", tickId);
    }

    @Test
    void aTeamInBudgetReportOnlyRunsItsWritingLoopAtL1() throws Exception {
        state().serve(StateStubTestResource.baselineWith(
                List.of(),
                List.of(new BudgetAlert(
                        null,
                        ControlScope.TEAM,
                        "frugal",
                        LocalDate.now(),
                        BudgetAlert.Action.REPORT_ONLY,
                        80,
                        80_000,
                        100_000,
                        Instant.now().plus(Duration.ofHours(1)),
                        Instant.now()))));

        awaitFetched();
        try (KafkaTopics.Reader ticks = KafkaTopics.read("loopline.ticks")) {
            String tickId = triggered("thrifty");

            Event tick = await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> ticks.poll().stream()
                                    .filter(r -> "thrifty".equals(r.key()))
                                    .map(r -> decode(r.value()))
                                    .filter(e -> e.tickId().equals(tickId))
                                    .findFirst(),
                            Optional::isPresent)
                    .orElseThrow();
            TickTriggered data = tick.dataAs(TickTriggered.class);
            assertThat(data.spec().level()).isEqualTo(LoopSpec.Level.L1);
            complete("thrifty", "frugal", tickId);
        }
    }

    @Test
    void withoutAnAnswerFromStateServiceNoTickStarts() throws Exception {
        state().failWith(503);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().header("Authorization", TOKEN)
                .when()
                .get("/api/v1/scheduler")
                .then()
                .statusCode(200)
                .body("stateService.answering", equalTo(false))
                .body("stateService.lastFailure", containsString("503")));
        trigger("killable")
                .statusCode(503)
                .contentType("application/problem+json")
                .body("type", containsString("admission-unavailable"))
                .body("detail", containsString("503"));

        nothingInForce();
        awaitFetched();
        String tickId = triggered("killable");
        complete("killable", "ops", tickId);
    }

    private static Event decode(String json) {
        try {
            return EventCodec.decode(json);
        } catch (Exception e) {
            throw new AssertionError("not a valid event: " + json, e);
        }
    }
}
