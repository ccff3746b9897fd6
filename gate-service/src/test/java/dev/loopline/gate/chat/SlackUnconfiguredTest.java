package dev.loopline.gate.chat;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;

import dev.loopline.testsupport.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Without a signing secret every Slack request is refused, however it is signed. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
class SlackUnconfiguredTest {

    @Test
    void everyRequestIsRefusedWhenNoSigningSecretIsConfigured() {
        String body = "command=%2Floopline&text=approve+apr-1&team_id=T0TEAM&user_id=U0ALICE"
                + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1";
        String ts = Long.toString(Instant.now().getEpochSecond());
        for (String secret : new String[] {"", "anything"}) {
            given().contentType("application/x-www-form-urlencoded")
                    .header("X-Slack-Request-Timestamp", ts)
                    .header(
                            "X-Slack-Signature",
                            secret.isEmpty()
                                    ? "v0=" + "0".repeat(64)
                                    : SlackSignature.sign(secret, ts, body.getBytes(StandardCharsets.UTF_8)))
                    .body(body)
                    .post(SlackActionsResource.PATH)
                    .then()
                    .statusCode(404)
                    .body("type", endsWith("/webhooks-not-configured"))
                    .body("detail", containsString("LOOPLINE_SLACK_SIGNING_SECRET"));
        }
    }
}
