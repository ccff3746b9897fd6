package dev.loopline.scheduler.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.loopline.core.spec.LoopSpecReader;
import dev.loopline.scheduler.client.StateStub;
import dev.loopline.scheduler.client.StateStubTestResource;
import dev.loopline.schemas.events.DeadLetter;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.schemas.json.Json;
import dev.loopline.schemas.spec.LoopSpec;
import dev.loopline.testsupport.KafkaTestResource;
import dev.loopline.testsupport.KafkaTopics;
import dev.loopline.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(
        value = PostgresTestResource.class,
        restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = PostgresTestResource.DATABASE_ARG, value = "scheduler"))
@QuarkusTestResource(SpecDirTestResource.class)
@QuarkusTestResource(
        value = PostgresTestResource.class,
        restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = PostgresTestResource.DATABASE_ARG, value = "scheduler"))
@QuarkusTestResource(StateStubTestResource.class)
class LoopResourceTest {

    private static final String TOKEN = "Bearer test-token";
    private static final String TICK_ID = "^\\d{8}T\\d{6}Z-[0-9a-f]{8}$";

    private static Optional<Event> tickOf(List<ConsumerRecord<String, String>> records, String loopId, String tickId) {
        return records.stream()
                .filter(r -> loopId.equals(r.key()))
                .map(r -> decode(r.value()))
                .filter(e -> tickId == null || e.tickId().equals(tickId))
                .findFirst();
    }

    private static Event decode(String json) {
        try {
            return EventCodec.decode(json);
        } catch (Exception e) {
            throw new AssertionError("not a valid event: " + json, e);
        }
    }

    @Test
    void listsValidAndInvalidLoopsAndTheInvalidOneNamesFileAndField() {
        given().header("Authorization", TOKEN)
                .when()
                .get("/api/v1/schedule")
                .then()
                .statusCode(200)
                .body("id", hasItems("cadenced", "on-demand", "broken"))
                .body("find { it.id == 'broken' }.valid", equalTo(false))
                .body("find { it.id == 'broken' }.problems[0].file", endsWith("broken.yaml"))
                .body("find { it.id == 'broken' }.problems[0].field", equalTo("$.level"))
                .body("find { it.id == 'cadenced' }.valid", equalTo(true))
                .body("find { it.id == 'cadenced' }.level", equalTo("L1"))
                .body("find { it.id == 'cadenced' }.cadence", equalTo("30s"))
                .body("find { it.id == 'on-demand' }.kind", equalTo("assisted-fix"))
                .body("find { it.id == 'on-demand' }.nextRunAt", nullValue());
    }

    @Test
    void theValidCadencedLoopIsTriggeredOnTheTicksTopicWithItsSpecAndHash() {
        try (KafkaTopics.Reader ticks = KafkaTopics.read("loopline.ticks")) {
            Event tick = await().atMost(Duration.ofSeconds(30))
                    .until(() -> tickOf(ticks.poll(), "cadenced", null), Optional::isPresent)
                    .orElseThrow();

            TickTriggered data = tick.dataAs(TickTriggered.class);
            assertThat(tick.source()).isEqualTo("scheduler-service");
            assertThat(tick.team()).isEqualTo("platform");
            assertThat(tick.attempt()).isZero();
            assertThat(tick.tickId()).matches(TICK_ID);
            assertThat(data.trigger().kind()).isEqualTo("cadence");
            assertThat(data.spec().id()).isEqualTo("cadenced");
            assertThat(data.spec().cadence()).isEqualTo("30s");
            assertThat(data.specHash()).isEqualTo(LoopSpecReader.hash(data.spec()));
            assertThat(tickOf(ticks.poll(), "broken", null)).isEmpty();
        }
    }

    @Test
    void manualTriggerAnswers202PublishesTheTickAndBlocksASecondOneUntilCompleted() throws Exception {
        try (KafkaTopics.Reader ticks = KafkaTopics.read("loopline.ticks")) {
            String tickId = given().header("Authorization", TOKEN)
                    .contentType(ContentType.JSON)
                    .body("{\"by\":\"alice\"}")
                    .when()
                    .post("/api/v1/loops/on-demand/ticks")
                    .then()
                    .statusCode(202)
                    .body("tickId", matchesPattern(TICK_ID))
                    .extract()
                    .path("tickId");

            Event tick = await().atMost(Duration.ofSeconds(30))
                    .until(() -> tickOf(ticks.poll(), "on-demand", tickId), Optional::isPresent)
                    .orElseThrow();
            assertThat(tick.dataAs(TickTriggered.class).trigger().kind()).isEqualTo("manual");
            assertThat(tick.dataAs(TickTriggered.class).trigger().by()).isEqualTo("alice");

            given().header("Authorization", TOKEN)
                    .when()
                    .post("/api/v1/loops/on-demand/ticks")
                    .then()
                    .statusCode(409)
                    .contentType("application/problem+json")
                    .body("status", equalTo(409))
                    .body("title", equalTo("A tick is in flight"))
                    .body("detail", containsString(tickId));

            Event completed = Event.of(
                    "agent-service",
                    Instant.now(),
                    "on-demand",
                    tickId,
                    "platform",
                    1,
                    new TickCompleted(TickCompleted.Outcome.PROPOSED, 10, 1, "done", null, null));
            KafkaTopics.send("loopline.completions", "on-demand", EventCodec.encode(completed));

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", TOKEN)
                    .when()
                    .get("/api/v1/schedule/on-demand")
                    .then()
                    .statusCode(200)
                    .body("inFlightTickId", nullValue())
                    .body("lastTriggeredAt", notNullValue()));
            given().header("Authorization", TOKEN)
                    .when()
                    .post("/api/v1/loops/on-demand/ticks")
                    .then()
                    .statusCode(202);
        }
    }

    @Test
    void aLoopNotReadyForItsLevelIsListedCappedAndItsTickCarriesTheCappedLevel() {
        given().header("Authorization", TOKEN)
                .when()
                .get("/api/v1/schedule/capped")
                .then()
                .statusCode(200)
                .body("declaredLevel", equalTo("L3"))
                .body("effectiveLevel", equalTo("L2"))
                .body("runnable", equalTo(true))
                .body("levelReason", startsWith("not ready for L3 (ready for L2): allowlist: "))
                .body("levelReason", endsWith("; runs at L2"));

        try (KafkaTopics.Reader ticks = KafkaTopics.read("loopline.ticks")) {
            String tickId = given().header("Authorization", TOKEN)
                    .when()
                    .post("/api/v1/loops/capped/ticks")
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("tickId");

            Event tick = await().atMost(Duration.ofSeconds(30))
                    .until(() -> tickOf(ticks.poll(), "capped", tickId), Optional::isPresent)
                    .orElseThrow();
            TickTriggered data = tick.dataAs(TickTriggered.class);
            assertThat(data.spec().level()).hasToString("L2");
            assertThat(data.specHash()).isEqualTo(LoopSpecReader.hash(data.spec()));
        }
    }

    @Test
    void anL0LoopIsPlanOnlyAndAManualTriggerIsAConflict() {
        given().header("Authorization", TOKEN)
                .when()
                .get("/api/v1/schedule/plan-only")
                .then()
                .statusCode(200)
                .body("effectiveLevel", equalTo("L0"))
                .body("nextRunAt", nullValue());
        given().header("Authorization", TOKEN)
                .when()
                .post("/api/v1/loops/plan-only/ticks")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://loopline.dev/problems/plan-only"))
                .body("title", equalTo("L0 is plan-only"))
                .body("detail", containsString("plan-only runs at L0"));
    }

    @Test
    void aPausedLoopRefusesManualTriggersUntilResumed() {
        given().header("Authorization", TOKEN)
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"release freeze\",\"by\":\"alice\"}")
                .when()
                .post("/api/v1/loops/pausable/pause")
                .then()
                .statusCode(200)
                .body("id", equalTo("pausable"))
                .body("paused", equalTo(true))
                .body("pause.by", equalTo("alice"))
                .body("pause.reason", equalTo("release freeze"))
                .body("pause.since", notNullValue());
        given().header("Authorization", TOKEN)
                .when()
                .get("/api/v1/schedule/pausable")
                .then()
                .statusCode(200)
                .body("paused", equalTo(true));
        given().header("Authorization", TOKEN)
                .when()
                .post("/api/v1/loops/pausable/ticks")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://loopline.dev/problems/paused"))
                .body("title", equalTo("Loop is paused"))
                .body("detail", equalTo("loop pausable is paused: release freeze; resume it first"));

        given().header("Authorization", TOKEN)
                .when()
                .post("/api/v1/loops/pausable/resume")
                .then()
                .statusCode(200)
                .body("paused", equalTo(false))
                .body("pause", nullValue());
        given().header("Authorization", TOKEN)
                .when()
                .post("/api/v1/loops/pausable/ticks")
                .then()
                .statusCode(202);
    }

    @Test
    void anIssuedTokenActsWithTheRoleStateServiceVouchesForAndUnderItsOwnName() {
        StateStub state = StateStubTestResource.stub();
        String viewer = "llt_viewer_" + UUID.randomUUID();
        String operator = "llt_operator_" + UUID.randomUUID();
        state.issue(viewer, "vera", "viewer");
        state.issue(operator, "oscar", "operator");

        given().header("Authorization", "Bearer " + viewer)
                .when()
                .get("/api/v1/schedule/pausable")
                .then()
                .statusCode(200);
        given().header("Authorization", "Bearer " + viewer)
                .when()
                .post("/api/v1/loops/pausable/pause")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", equalTo("'vera' (role viewer) may not do this: it needs the operate permission"));
        // who paused comes from the token, whatever the body claims
        given().header("Authorization", "Bearer " + operator)
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"incident 42\",\"by\":\"mallory\"}")
                .when()
                .post("/api/v1/loops/pausable/pause")
                .then()
                .statusCode(200)
                .body("pause.by", equalTo("oscar"));
        given().header("Authorization", "Bearer " + operator)
                .when()
                .post("/api/v1/loops/pausable/resume")
                .then()
                .statusCode(200)
                .body("paused", equalTo(false));
        given().header("Authorization", "Bearer llt_unknown_" + UUID.randomUUID())
                .when()
                .get("/api/v1/schedule")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer");
    }

    @Test
    void aTokenIsAskedAboutOnceAndThenServedFromTheCache() {
        StateStub state = StateStubTestResource.stub();
        String viewer = "llt_cached_" + UUID.randomUUID();
        state.issue(viewer, "carl", "viewer");
        int before = state.callerLookups();

        for (int i = 0; i < 5; i++) {
            given().header("Authorization", "Bearer " + viewer)
                    .when()
                    .get("/api/v1/scheduler")
                    .then()
                    .statusCode(200);
        }

        assertThat(state.callerLookups() - before).isEqualTo(1);
    }

    @Test
    void pausingNeedsTheTokenAKnownLoopAndAShortReason() {
        given().when().post("/api/v1/loops/pausable/pause").then().statusCode(401);
        given().header("Authorization", TOKEN)
                .when()
                .post("/api/v1/loops/nope/pause")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().header("Authorization", TOKEN)
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"" + "x".repeat(501) + "\"}")
                .when()
                .post("/api/v1/loops/pausable/pause")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", startsWith("reason: must be at most 500"));
    }

    @Test
    void threeErrorCompletionsOnTheBrokerHaltTheLoopUntilResumed() throws Exception {
        for (int i = 1; i <= 3; i++) {
            Event completed = Event.of(
                    "agent-service",
                    Instant.now(),
                    "flaky",
                    "20261121T06000" + i + "Z-0000000" + i,
                    "platform",
                    1,
                    new TickCompleted(TickCompleted.Outcome.ERROR, 10, 1, "maker failed", null, null));
            KafkaTopics.send("loopline.completions", "flaky", EventCodec.encode(completed));
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", TOKEN)
                .when()
                .get("/api/v1/schedule/flaky")
                .then()
                .statusCode(200)
                .body("halted.kind", equalTo("stall"))
                .body("halted.detail", equalTo("the last 3 ticks all ended error"))
                .body("halted.since", notNullValue())
                .body("recentOutcomes", contains("error", "error", "error")));
        given().header("Authorization", TOKEN)
                .when()
                .post("/api/v1/loops/flaky/ticks")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("title", equalTo("Loop is halted"));

        given().header("Authorization", TOKEN)
                .when()
                .post("/api/v1/loops/flaky/resume")
                .then()
                .statusCode(200)
                .body("halted", nullValue())
                .body("recentOutcomes", empty());
    }

    @Test
    void aCronLoopShowsItsCronZoneAndNextRunAndItsTickCarriesTheTimingFields() {
        String nextRunAt = given().header("Authorization", TOKEN)
                .when()
                .get("/api/v1/schedule/nightly")
                .then()
                .statusCode(200)
                .body("cron", equalTo("30 2 * * *"))
                .body("timezone", equalTo("Europe/Berlin"))
                .body("nextRunAt", notNullValue())
                .extract()
                .path("nextRunAt");
        ZonedDateTime next = Instant.parse(nextRunAt).atZone(ZoneId.of("Europe/Berlin"));
        // 02:30 local, or the end of the weekend window (Monday 00:00)
        assertThat(next.toLocalTime()).isIn(LocalTime.of(2, 30), LocalTime.MIDNIGHT);
        assertThat(next.getDayOfWeek()).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);

        try (KafkaTopics.Reader ticks = KafkaTopics.read("loopline.ticks")) {
            String tickId = given().header("Authorization", TOKEN)
                    .when()
                    .post("/api/v1/loops/nightly/ticks")
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("tickId");
            Event tick = await().atMost(Duration.ofSeconds(30))
                    .until(() -> tickOf(ticks.poll(), "nightly", tickId), Optional::isPresent)
                    .orElseThrow();
            LoopSpec spec = tick.dataAs(TickTriggered.class).spec();
            assertThat(spec.cron()).isEqualTo("30 2 * * *");
            assertThat(spec.timezone()).isEqualTo("Europe/Berlin");
            assertThat(spec.pauseWindows())
                    .containsExactly(new LoopSpec.PauseWindow(List.of("sat", "sun"), "00:00", "00:00"));
        }
    }

    @Test
    void aSecondWritingLoopOnTheSameRepositoryWaitsUntilTheFirstTickCompletes() throws Exception {
        String first = given().header("Authorization", TOKEN)
                .when()
                .post("/api/v1/loops/fix-a/ticks")
                .then()
                .statusCode(202)
                .extract()
                .path("tickId");

        given().header("Authorization", TOKEN)
                .when()
                .post("/api/v1/loops/fix-b/ticks")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://loopline.dev/problems/repository-busy"))
                .body("detail", containsString("repository /srv/repos/shared has a writing tick in flight (" + first))
                .body("detail", containsString("of loop fix-a"));

        Event completed = Event.of(
                "agent-service",
                Instant.now(),
                "fix-a",
                first,
                "platform",
                1,
                new TickCompleted(TickCompleted.Outcome.PROPOSED, 10, 1, "done", null, null));
        KafkaTopics.send("loopline.completions", "fix-a", EventCodec.encode(completed));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", TOKEN)
                .when()
                .post("/api/v1/loops/fix-b/ticks")
                .then()
                .statusCode(202));
        given().header("Authorization", TOKEN)
                .when()
                .get("/api/v1/schedule/fix-b")
                .then()
                .statusCode(200)
                .body("inFlightTickId", matchesPattern(TICK_ID));
    }

    @Test
    void aLoopOverItsBudgetSkipsItsCadenceRunsWithTheReasonAndItsManualTriggerIsAConflict() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", TOKEN)
                .when()
                .get("/api/v1/schedule/gated")
                .then()
                .statusCode(200)
                .body("lastRefusal.reason", startsWith("budget halt: loop:gated used 100000 of its 100000-token"))
                .body("lastRefusal.at", notNullValue())
                .body("inFlightTickId", nullValue())
                .body("lastTriggeredAt", nullValue()));

        given().header("Authorization", TOKEN)
                .when()
                .post("/api/v1/loops/gated/ticks")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://loopline.dev/problems/admission-refused"))
                .body("detail", startsWith("loop gated may not run now: budget halt: loop:gated"));
    }

    @Test
    void triggeringAnInvalidLoopIsAConflict() {
        given().header("Authorization", TOKEN)
                .when()
                .post("/api/v1/loops/broken/ticks")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("title", equalTo("Loop spec is invalid"))
                .body("detail", containsString("$.level"));
    }

    @Test
    void unknownLoopIsNotFoundAsProblemJson() {
        given().header("Authorization", TOKEN)
                .when()
                .post("/api/v1/loops/nope/ticks")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://loopline.dev/problems/loop-not-found"))
                .body("title", equalTo("Loop not found"))
                .body("status", equalTo(404))
                .body("detail", equalTo("no loop nope"));
        given().header("Authorization", TOKEN)
                .when()
                .get("/api/v1/schedule/nope")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void theLoopListIsStateServicesSoTheSchedulerAnswersItsScheduleOnlyAtItsOwnPath() {
        // one owner of GET /api/v1/loops (state-service, which merges this schedule in); the scheduler keeps only
        // the per-loop operator verbs under /api/v1/loops
        given().header("Authorization", TOKEN)
                .when()
                .get("/api/v1/loops")
                .then()
                .statusCode(404);
        given().header("Authorization", TOKEN)
                .when()
                .get("/api/v1/loops/on-demand")
                .then()
                .statusCode(404);
        given().header("Authorization", TOKEN)
                .when()
                .get("/api/v1/schedule")
                .then()
                .statusCode(200)
                .body("id", hasItem("on-demand"));
    }

    @Test
    void requestsWithoutTheTokenAreUnauthorized() {
        given().when()
                .get("/api/v1/schedule")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("status", equalTo(401))
                .body("title", equalTo("Unauthorized"));
        given().header("Authorization", "Bearer wrong")
                .when()
                .post("/api/v1/loops/on-demand/ticks")
                .then()
                .statusCode(401);
    }

    @Test
    void aMalformedCompletionIsDeadLetteredAndTheServiceStaysReady() throws Exception {
        try (KafkaTopics.Reader deadLetters = KafkaTopics.read("loopline.dead-letters")) {
            KafkaTopics.send("loopline.completions", "poison", "{not json");

            DeadLetter letter = await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> deadLetters.poll().stream()
                                    .filter(r -> "poison".equals(r.key()))
                                    .map(r -> readDeadLetter(r.value()))
                                    .findFirst(),
                            Optional::isPresent)
                    .orElseThrow();

            assertThat(letter.service()).isEqualTo("scheduler-service");
            assertThat(letter.topic()).isEqualTo("loopline.completions");
            assertThat(letter.reason()).startsWith("not valid JSON");
            assertThat(letter.payload()).isEqualTo("{not json");
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> given().when().get("/q/health/ready").then().statusCode(200));
    }

    private static DeadLetter readDeadLetter(String json) {
        try {
            return Json.mapper().readValue(json, DeadLetter.class);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }
}
