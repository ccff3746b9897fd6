package dev.loopline.scheduler.webhook;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.loopline.scheduler.client.StateStubTestResource;
import dev.loopline.scheduler.rest.SpecDirTestResource;
import dev.loopline.testsupport.KafkaTestResource;
import dev.loopline.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without secrets both endpoints refuse everything, even a delivery signed with an empty key. */
@QuarkusTest
@TestProfile(WebhooksUnconfiguredTest.NoSecrets.class)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(SpecDirTestResource.class)
@QuarkusTestResource(StateStubTestResource.class)
@QuarkusTestResource(
        value = PostgresTestResource.class,
        restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = PostgresTestResource.DATABASE_ARG, value = "scheduler"))
class WebhooksUnconfiguredTest {

    public static class NoSecrets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "loopline.scheduler.webhooks.github.secret", "",
                    "loopline.scheduler.webhooks.gitlab.secret", "");
        }
    }

    @Test
    void githubWebhooksFailClosedWithHowToConfigureThem() {
        String body = Payloads.text("github-push.json");
        given().contentType(ContentType.JSON)
                .header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", "d-unconfigured")
                .header("X-Hub-Signature-256", Payloads.githubSignature("guess", body))
                .body(body)
                .post("/api/v1/webhooks/github")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://loopline.dev/problems/webhooks-not-configured"))
                .body(
                        "detail",
                        containsString(
                                "github webhooks are not configured; set loopline.scheduler.webhooks.github.secret"));
    }

    @Test
    void gitlabWebhooksFailClosedEvenWithAnEmptyToken() {
        given().contentType(ContentType.JSON)
                .header("X-Gitlab-Event", "Push Hook")
                .header("X-Gitlab-Event-UUID", "u-unconfigured")
                .header("X-Gitlab-Token", "")
                .body(Payloads.text("gitlab-push.json"))
                .post("/api/v1/webhooks/gitlab")
                .then()
                .statusCode(404)
                .body("detail", containsString("LOOPLINE_SCHEDULER_WEBHOOKS_GITLAB_SECRET"));
    }
}
