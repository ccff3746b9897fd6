package dev.loopline.scheduler.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopline.scheduler.client.StateStubTestResource;
import dev.loopline.scheduler.rest.SpecDirTestResource;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.testsupport.KafkaTestClient;
import dev.loopline.testsupport.KafkaTestResource;
import dev.loopline.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Signed GitHub and GitLab deliveries against the running scheduler, a real broker and a real Postgres. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(SpecDirTestResource.class)
@QuarkusTestResource(StateStubTestResource.class)
@QuarkusTestResource(
        value = PostgresTestResource.class,
        restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = PostgresTestResource.DATABASE_ARG, value = "scheduler"))
class WebhookResourceTest {

    static final String GITHUB_SECRET = "test-github-secret";
    static final String GITLAB_TOKEN = "test-gitlab-token";
    private static final String TICKS = "loopline.ticks";

    @Inject
    DataSource dataSource;

    @Inject
    WebhookJobs jobs;

    @Inject
    WebhookDeliveryRepository deliveries;

    /** A push payload made unique (its after sha), so its body hash is new. */
    private static String githubPush(String repo, String ref) {
        return Payloads.edited("github-push.json", n -> {
            n.put("ref", ref);
            n.put("after", UUID.randomUUID().toString().replace("-", ""));
            ((ObjectNode) n.get("repository")).put("full_name", repo);
        });
    }

    private static String gitlabPush(String project, String ref) {
        return Payloads.edited("gitlab-push.json", n -> {
            n.put("ref", ref);
            n.put("checkout_sha", UUID.randomUUID().toString().replace("-", ""));
            ((ObjectNode) n.get("project")).put("path_with_namespace", project);
        });
    }

    private static ValidatableResponse github(String event, String delivery, String body, String signature) {
        var request = given().contentType(ContentType.JSON).header("X-GitHub-Event", event);
        if (delivery != null) {
            request = request.header("X-GitHub-Delivery", delivery);
        }
        if (signature != null) {
            request = request.header("X-Hub-Signature-256", signature);
        }
        return request.body(body.getBytes(StandardCharsets.UTF_8))
                .when()
                .post("/api/v1/webhooks/github")
                .then();
    }

    private static ValidatableResponse signedGithub(String event, String delivery, String body) {
        return github(event, delivery, body, Payloads.githubSignature(GITHUB_SECRET, body));
    }

    private static ValidatableResponse gitlab(String event, String delivery, String body, String token) {
        var request = given().contentType(ContentType.JSON).header("X-Gitlab-Event", event);
        if (delivery != null) {
            request = request.header("X-Gitlab-Event-UUID", delivery);
        }
        if (token != null) {
            request = request.header("X-Gitlab-Token", token);
        }
        return request.body(body.getBytes(StandardCharsets.UTF_8))
                .when()
                .post("/api/v1/webhooks/gitlab")
                .then();
    }

    private static Event awaitTick(String loop, String tickId) {
        ConsumerRecord<String, String> record = KafkaTestClient.awaitRecord(TICKS, r -> {
            Event e = KafkaTestClient.decodeOrNull(r.value());
            return e != null && loop.equals(e.loopId()) && tickId.equals(e.tickId());
        });
        return KafkaTestClient.decodeOrNull(record.value());
    }

    private static String delivery() {
        return UUID.randomUUID().toString();
    }

    @Test
    void aSignedGithubPushTriggersTheMatchingLoopOnlyWithAWebhookTick() {
        String delivery = delivery();
        String tickId = signedGithub("push", delivery, githubPush("acme/widgets", "refs/heads/main"))
                .statusCode(202)
                .contentType(ContentType.JSON)
                .body("delivery", equalTo(delivery))
                .body("triggered.loop", contains("gh-push"))
                .body("skipped", empty())
                .extract()
                .path("triggered[0].tickId");

        Event tick = awaitTick("gh-push", tickId);
        TickTriggered data = tick.dataAs(TickTriggered.class);
        assertThat(data.trigger().kind()).isEqualTo("webhook");
        assertThat(data.trigger().by()).isEqualTo("github:" + delivery);
        assertThat(data.spec().id()).isEqualTo("gh-push");
        assertThat(data.spec().task()).isEqualTo("Summarise the pushed commits");
        given().header("Authorization", "Bearer test-token")
                .get("/api/v1/schedule/gh-other-repo")
                .then()
                .statusCode(200)
                .body("lastTriggeredAt", nullValue());
    }

    @Test
    void aPushToAnotherBranchOrRepoTriggersNothing() {
        signedGithub("push", delivery(), githubPush("acme/widgets", "refs/heads/feature/x"))
                .statusCode(202)
                .body("triggered", empty())
                .body("skipped", empty());
        signedGithub("push", delivery(), githubPush("acme/unknown", "refs/heads/main"))
                .statusCode(202)
                .body("triggered", empty());
    }

    @Test
    void aForgedSignatureIsUnauthorizedAndTriggersNothing() {
        String body = githubPush("acme/gadgets", "refs/heads/main");
        github("push", delivery(), body, Payloads.githubSignature("guessed-secret", body))
                .statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo("https://loopline.dev/problems/invalid-signature"))
                .body("detail", not(containsString(GITHUB_SECRET)));
        // a body changed after signing
        String signed = githubPush("acme/widgets", "refs/heads/main");
        github(
                        "push",
                        delivery(),
                        signed.replace("acme/widgets", "acme/gadgets"),
                        Payloads.githubSignature(GITHUB_SECRET, signed))
                .statusCode(401);
    }

    @Test
    void onlyPostsToTheTwoWebhookPathsSkipTheBearerToken() {
        given().get("/api/v1/webhooks/github")
                .then()
                .statusCode(401)
                .body("type", equalTo("https://loopline.dev/problems/unauthorized"));
        given().contentType(ContentType.JSON)
                .body("{}")
                .post("/api/v1/webhooks/github/extra")
                .then()
                .statusCode(401)
                .body("type", equalTo("https://loopline.dev/problems/unauthorized"));
        given().get("/api/v1/schedule").then().statusCode(401);
    }

    @Test
    void aMissingSignatureGetsTheSameAnswerAsAWrongOne() {
        String body = githubPush("acme/gadgets", "refs/heads/main");
        String missing =
                github("push", delivery(), body, null).statusCode(401).extract().asString();
        String wrong = github("push", delivery(), body, "sha256=" + "0".repeat(64))
                .statusCode(401)
                .extract()
                .asString();
        assertThat(missing).isEqualTo(wrong);
    }

    @Test
    void aReplayedGithubDeliveryIsAConflictAndStartsNoSecondTick() {
        String delivery = delivery();
        String body = githubPush("acme/replay", "refs/heads/main");
        String tickId = signedGithub("push", delivery, body)
                .statusCode(202)
                .body("triggered.loop", contains("gh-replay"))
                .extract()
                .path("triggered[0].tickId");
        awaitTick("gh-replay", tickId);

        signedGithub("push", delivery, body)
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://loopline.dev/problems/delivery-replayed"))
                .body("detail", containsString("delivery " + delivery + " already processed at "));
        // the same signed body under a fresh delivery id (the id header is not signed) is a replay too
        signedGithub("push", delivery(), body)
                .statusCode(409)
                .body("detail", containsString("same payload was already processed as delivery " + delivery));

        given().header("Authorization", "Bearer test-token")
                .get("/api/v1/schedule/gh-replay")
                .then()
                .statusCode(200)
                .body("inFlightTickId", equalTo(tickId));
    }

    @Test
    void aDeliveryWithoutAnIdIsABadRequest() {
        signedGithub("push", null, githubPush("acme/gadgets", "refs/heads/main"))
                .statusCode(400)
                .body("detail", equalTo("header X-GitHub-Delivery is required"));
    }

    @Test
    void aSignedBodyThatIsNotJsonIsABadRequest() {
        signedGithub("push", delivery(), "payload=%7B%22ref%22%3A%22x%22%7D")
                .statusCode(400)
                .body("detail", containsString("application/json"));
    }

    @Test
    void aPingIsAnsweredWithoutTriggering() {
        signedGithub("ping", delivery(), Payloads.text("github-ping.json"))
                .statusCode(200)
                .body("triggered", empty())
                .body("ignored", equalTo("ping"));
    }

    @Test
    void aLabelThatIsNotWantedTriggersNothingAndAWantedOneTriggers() {
        String unwanted = Payloads.edited("github-issues-labeled.json", n -> {
            ((ObjectNode) n.get("label")).put("name", "wontfix");
        });
        signedGithub("issues", delivery(), unwanted).statusCode(202).body("triggered", empty());

        String delivery = delivery();
        String tickId = signedGithub("issues", delivery, Payloads.text("github-issues-labeled.json"))
                .statusCode(202)
                .body("triggered.loop", contains("gh-label"))
                .extract()
                .path("triggered[0].tickId");
        assertThat(awaitTick("gh-label", tickId)
                        .dataAs(TickTriggered.class)
                        .trigger()
                        .by())
                .isEqualTo("github:" + delivery);
    }

    @Test
    void aPullRequestCommentWithTheCommandTriggersAndItsTextNeverReachesTheTick() {
        String delivery = delivery();
        String tickId = signedGithub("issue_comment", delivery, Payloads.text("github-issue-comment-pr.json"))
                .statusCode(202)
                .body("triggered.loop", contains("gh-comment"))
                .extract()
                .path("triggered[0].tickId");

        ConsumerRecord<String, String> record =
                KafkaTestClient.awaitRecord(TICKS, r -> r.value().contains(tickId));
        assertThat(record.value()).doesNotContain("ignore all previous instructions");
        assertThat(KafkaTestClient.decodeOrNull(record.value())
                        .dataAs(TickTriggered.class)
                        .spec()
                        .task())
                .isEqualTo("Summarise the pushed commits");
    }

    @Test
    void aMatchingButPausedLoopIsListedAsSkipped() {
        signedGithub("push", delivery(), githubPush("acme/paused", "refs/heads/main"))
                .statusCode(202)
                .body("triggered", empty())
                .body("skipped.loop", contains("gh-paused"))
                .body("skipped[0].reason", equalTo("paused"));
    }

    @Test
    void aBodyOverTheSizeCapIsRefusedBeforeItsSignatureIsChecked() {
        String big = "{\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}";
        github("push", delivery(), big, "sha256=" + "0".repeat(64)).statusCode(413);
    }

    @Test
    void aValidGitlabPushTriggersTheMatchingLoop() {
        String delivery = delivery();
        String tickId = gitlab(
                        "Push Hook", delivery, gitlabPush("platform/tools/widgets", "refs/heads/main"), GITLAB_TOKEN)
                .statusCode(202)
                .body("triggered.loop", contains("gl-push"))
                .extract()
                .path("triggered[0].tickId");

        TickTriggered data = awaitTick("gl-push", tickId).dataAs(TickTriggered.class);
        assertThat(data.trigger().kind()).isEqualTo("webhook");
        assertThat(data.trigger().by()).isEqualTo("gitlab:" + delivery);
    }

    @Test
    void aWrongOrMissingGitlabTokenIsUnauthorized() {
        String body = gitlabPush("platform/tools/widgets", "refs/heads/main");
        gitlab("Push Hook", delivery(), body, "not-the-token").statusCode(401);
        gitlab("Push Hook", delivery(), body, null).statusCode(401);
        gitlab("Push Hook", delivery(), body, GITLAB_TOKEN + "x").statusCode(401);
        gitlab("Push Hook", delivery(), body, GITLAB_TOKEN.substring(1)).statusCode(401);
    }

    @Test
    void aReplayedGitlabDeliveryIsAConflict() {
        String delivery = delivery();
        String body = gitlabPush("group/replay", "refs/heads/main");
        gitlab("Push Hook", delivery, body, GITLAB_TOKEN).statusCode(202).body("triggered.loop", contains("gl-replay"));
        gitlab("Push Hook", delivery, body, GITLAB_TOKEN)
                .statusCode(409)
                .body("detail", containsString("delivery " + delivery + " already processed"));
    }

    @Test
    void aGitlabMergeRequestNoteWithTheCommandTriggers() {
        gitlab("Note Hook", delivery(), Payloads.text("gitlab-note-mr.json"), GITLAB_TOKEN)
                .statusCode(202)
                .body("triggered.loop", contains("gl-note"));
    }

    @Test
    void theGitlabEndpointDoesNotAcceptAGithubSignature() {
        String body = gitlabPush("platform/tools/widgets", "refs/heads/main");
        given().contentType(ContentType.JSON)
                .header("X-Gitlab-Event", "Push Hook")
                .header("X-Gitlab-Event-UUID", delivery())
                .header("X-Hub-Signature-256", Payloads.githubSignature(GITLAB_TOKEN, body))
                .body(body)
                .post("/api/v1/webhooks/gitlab")
                .then()
                .statusCode(401);
    }

    @Test
    void theOpenApiDocumentDescribesBothEndpointsWithoutBearerSecurity() {
        given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body(
                        "paths.'/api/v1/webhooks/github'.post.responses.'401'.description",
                        equalTo("Signature missing or wrong"))
                .body(
                        "paths.'/api/v1/webhooks/gitlab'.post.responses.'409'.description",
                        containsString("already processed"));
    }

    @Test
    void concurrentDeliveriesOfOneIdAreAcceptedExactlyOnceAndIdsArePerSource() throws Exception {
        String id = delivery();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Optional<WebhookDeliveryRepository.Earlier>>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String hash =
                        HexFormat.of().formatHex(SignatureVerifier.sha256((id + i).getBytes(StandardCharsets.UTF_8)));
                results.add(pool.submit(() -> deliveries.recordFirst("github", id, hash, Instant.now())));
            }
            int accepted = 0;
            for (Future<Optional<WebhookDeliveryRepository.Earlier>> result : results) {
                Optional<WebhookDeliveryRepository.Earlier> earlier = result.get(30, TimeUnit.SECONDS);
                if (earlier.isEmpty()) {
                    accepted++;
                } else {
                    assertThat(earlier.get().sameId()).isTrue();
                    assertThat(earlier.get().deliveryId()).isEqualTo(id);
                }
            }
            assertThat(accepted).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(deliveries.recordFirst("gitlab", id, "e".repeat(64), Instant.now()))
                .isEmpty();
    }

    @Test
    void deliveriesOlderThanTheRetentionArePruned() throws Exception {
        Instant old = Instant.now().minus(8, ChronoUnit.DAYS);
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO webhook_delivery (source, delivery_id, body_sha256, received_at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, "github");
            insert.setString(2, "old-delivery");
            insert.setString(3, "f".repeat(64));
            insert.setTimestamp(4, Timestamp.from(old));
            insert.executeUpdate();
        }

        assertThat(jobs.pruneExpired()).isGreaterThanOrEqualTo(1);

        try (Connection c = dataSource.getConnection();
                PreparedStatement query =
                        c.prepareStatement("SELECT count(*) FROM webhook_delivery WHERE delivery_id = 'old-delivery'");
                ResultSet rs = query.executeQuery()) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }
}
