package dev.loopline.gate.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loopline.gate.messaging.AuthStubTestResource;
import dev.loopline.gate.service.ApprovalHarness;
import dev.loopline.gate.service.ApprovalService;
import dev.loopline.gate.service.GitFixture;
import dev.loopline.schemas.events.ApprovalRecorded;
import dev.loopline.schemas.events.ChangeDecided;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.testsupport.KafkaTestResource;
import dev.loopline.testsupport.KafkaTopics;
import dev.loopline.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The approval API on the running gate: a verdict from Kafka opens the request, approvers decide over REST with
 * tokens state-service vouches for, the merge lands on the real remote and the decision on the approvals topic.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(
        value = PostgresTestResource.class,
        restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = PostgresTestResource.DATABASE_ARG, value = "gate"))
@QuarkusTestResource(value = AuthStubTestResource.class, restrictToAnnotatedClass = false)
class ApprovalResourceTest {

    private static Optional<Event> find(List<ConsumerRecord<String, String>> records, String tickId, String type) {
        return records.stream()
                .map(r -> KafkaTopicsDecode.decode(r.value()))
                .filter(e -> e != null && e.tickId().equals(tickId) && e.type().equals(type))
                .findFirst();
    }

    /** Triggers a tick by {@code tess}, sends its L2 verdict and waits for the awaiting-approval decision. */
    private static ChangeDecided openRequest(GitFixture repo, String tickId) throws Exception {
        Event verdict = ApprovalHarness.verdict(repo, tickId, 1, "docs/guide.md", "# Guide\n\n" + tickId + "\n");
        Event trigger = Event.of(
                "scheduler-service",
                Instant.now(),
                ApprovalHarness.LOOP,
                tickId,
                ApprovalHarness.TEAM,
                0,
                new TickTriggered(
                        TickTriggered.Trigger.manual("tess"),
                        "a".repeat(64),
                        verdict.dataAs(dev.loopline.schemas.events.ChangeVerified.class)
                                .spec()));
        KafkaTopics.send("loopline.ticks", trigger.loopId(), EventCodec.encode(trigger));
        try (KafkaTopics.Reader decisions = KafkaTopics.read("loopline.decisions")) {
            KafkaTopics.send("loopline.verdicts", verdict.loopId(), EventCodec.encode(verdict));
            Event decided = await().atMost(Duration.ofSeconds(60))
                    .until(() -> find(decisions.poll(), tickId, "loopline.change.decided"), Optional::isPresent)
                    .orElseThrow();
            return decided.dataAs(ChangeDecided.class);
        }
    }

    private static Response post(String token, String path, String body) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/approvals/" + path);
    }

    @Test
    void anApproverMergesAViewerIsRefusedAndTheDecisionIsPublishedOnce() throws Exception {
        GitFixture repo = new GitFixture(Files.createTempDirectory("gate-approve-"));
        String base = repo.mainOnRemote();
        String tickId = "t-rest-" + UUID.randomUUID().toString().substring(0, 8);
        String id = ApprovalService.idFor(tickId, 1);

        try (KafkaTopics.Reader approvals = KafkaTopics.read("loopline.approvals")) {
            ChangeDecided decided = openRequest(repo, tickId);
            assertThat(decided.decision()).isEqualTo(ChangeDecided.Decision.AWAITING_APPROVAL);
            assertThat(decided.reason()).contains("awaiting approval " + id);

            given().auth()
                    .oauth2(AuthStubTestResource.VIEWER)
                    .queryParam("team", "platform")
                    .queryParam("state", "open")
                    .when()
                    .get("/api/v1/approvals")
                    .then()
                    .statusCode(200)
                    .body("id", org.hamcrest.Matchers.hasItem(id));
            given().auth()
                    .oauth2(AuthStubTestResource.VIEWER)
                    .when()
                    .get("/api/v1/approvals/" + id)
                    .then()
                    .statusCode(200)
                    .body("state", org.hamcrest.Matchers.equalTo("OPEN"))
                    .body("commit", org.hamcrest.Matchers.equalTo(decided.commit()));

            post(AuthStubTestResource.VIEWER, id + "/approve", "{}")
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json")
                    .body("type", org.hamcrest.Matchers.endsWith("/not-an-approver"))
                    .body("detail", org.hamcrest.Matchers.containsString("vic"));
            // the trigger arrives on its own topic: once the gate has read it, tess is refused for who she is
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> post(AuthStubTestResource.TESS, id + "/approve", "{}")
                            .then()
                            .statusCode(403)
                            .body("type", org.hamcrest.Matchers.endsWith("/self-approval"))
                            .body("detail", org.hamcrest.Matchers.containsString("'tess' triggered tick")));
            post(AuthStubTestResource.ALICE, id + "/reject", "{}")
                    .then()
                    .statusCode(400)
                    .body("detail", org.hamcrest.Matchers.containsString("comment"));
            assertThat(repo.mainOnRemote()).isEqualTo(base);

            post(AuthStubTestResource.ALICE, id + "/approve", "{\"comment\":\"ship it\",\"channel\":\"cli\"}")
                    .then()
                    .statusCode(200)
                    .body("approval.state", org.hamcrest.Matchers.equalTo("MERGED"))
                    .body("message", org.hamcrest.Matchers.containsString("merged into main"));
            post(AuthStubTestResource.ALICE, id + "/approve", "{}")
                    .then()
                    .statusCode(200)
                    .body("message", org.hamcrest.Matchers.startsWith("already approved"));
            post(AuthStubTestResource.BOB, id + "/reject", "{\"comment\":\"too late\"}")
                    .then()
                    .statusCode(409)
                    .body("type", org.hamcrest.Matchers.endsWith("/approval-closed"));
            assertThat(repo.mainOnRemote()).isEqualTo(decided.commit());

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                List<ApprovalRecorded> seen = approvals.poll().stream()
                        .map(r -> KafkaTopicsDecode.decode(r.value()))
                        .filter(e -> e != null && e.tickId().equals(tickId))
                        .map(e -> e.dataAs(ApprovalRecorded.class))
                        .toList();
                assertThat(seen)
                        .extracting(ApprovalRecorded::action)
                        .contains(ApprovalRecorded.Action.OPENED, ApprovalRecorded.Action.MERGED);
            });
        }
        given().auth()
                .oauth2(AuthStubTestResource.VIEWER)
                .queryParam("state", "sideways")
                .when()
                .get("/api/v1/approvals")
                .then()
                .statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("state must be one of"));
        given().auth()
                .oauth2(AuthStubTestResource.VIEWER)
                .when()
                .get("/api/v1/approvals/apr-missing")
                .then()
                .statusCode(404)
                .body("type", org.hamcrest.Matchers.endsWith("/approval-not-found"));
    }

    /** Decodes an event, or null for a record that is not one. */
    static final class KafkaTopicsDecode {
        static Event decode(String json) {
            try {
                return EventCodec.decode(json);
            } catch (Exception e) {
                return null;
            }
        }
    }
}
