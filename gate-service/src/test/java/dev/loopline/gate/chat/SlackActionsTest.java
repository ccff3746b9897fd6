package dev.loopline.gate.chat;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.core.auth.Role;
import dev.loopline.gate.approval.ApprovalNotice.Channel;
import dev.loopline.schemas.json.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slack's Request URL end to end: requests signed as Slack signs them are decided as the mapped Loopline user;
 * forged, stale, replayed and unsigned ones are refused and nothing is decided.
 */
@QuarkusTest
@TestProfile(SlackProfile.class)
class SlackActionsTest {

    private static final String PATH = SlackActionsResource.PATH;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    RecordingDecisions decisions;

    private StandIn slack;

    @BeforeEach
    void mapAlice() {
        slack = SlackProfile.Resource.standIn;
        slack.route(
                "GET",
                "/api/v1/admin/slack-users/T0TEAM/U0ALICE",
                r -> new StandIn.Answer(
                        200,
                        "{\"slackTeamId\":\"T0TEAM\",\"slackUserId\":\"U0ALICE\",\"user\":\"alice\",\"role\":\"approver\","
                                + "\"team\":\"platform\"}"));
        slack.route("GET", "/api/v1/admin/slack-users/", r -> new StandIn.Answer(404, "{\"status\":404}"));
        slack.route("POST", "/hooks/", r -> new StandIn.Answer(200, "ok"));
    }

    private static String id() {
        return "apr-" + UUID.randomUUID();
    }

    private String responseUrl(String id) {
        return slack.url() + "/hooks/" + id;
    }

    private String click(String action, String approvalId, String userId) {
        String payload = "{\"type\":\"block_actions\",\"team\":{\"id\":\"T0TEAM\",\"domain\":\"acme\"},"
                + "\"user\":{\"id\":\"" + userId + "\",\"username\":\"alice\",\"team_id\":\"T0TEAM\"},"
                + "\"api_app_id\":\"A0APP\",\"container\":{\"type\":\"message\",\"message_ts\":\"1700000000.000200\","
                + "\"channel_id\":\"C0PLATFORM\",\"is_ephemeral\":false},"
                + "\"channel\":{\"id\":\"C0PLATFORM\",\"name\":\"approvals\"},"
                + "\"response_url\":\"" + responseUrl(approvalId) + "\","
                + "\"actions\":[{\"action_id\":\"" + action + "\",\"block_id\":\"decide\",\"type\":\"button\","
                + "\"value\":\"" + approvalId + "\",\"action_ts\":\"1700000001.000300\"}]}";
        return "payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8);
    }

    private String command(String text, String approvalId, String userId) {
        return "token=unused&team_id=T0TEAM&team_domain=acme&channel_id=C0PLATFORM&channel_name=approvals"
                + "&user_id=" + userId + "&user_name=alice&command=%2Floopline&text="
                + URLEncoder.encode(text, StandardCharsets.UTF_8) + "&api_app_id=A0APP"
                + "&response_url=" + URLEncoder.encode(responseUrl(approvalId), StandardCharsets.UTF_8)
                + "&trigger_id=1.2.3";
    }

    private static Response send(String body, String timestamp, String signature) {
        var request = given().contentType("application/x-www-form-urlencoded").body(body);
        if (timestamp != null) {
            request = request.header("X-Slack-Request-Timestamp", timestamp);
        }
        if (signature != null) {
            request = request.header("X-Slack-Signature", signature);
        }
        return request.post(PATH);
    }

    private static Response signed(String body) {
        String ts = Long.toString(Instant.now().getEpochSecond());
        return send(
                body, ts, SlackSignature.sign(SlackProfile.SIGNING_SECRET, ts, body.getBytes(StandardCharsets.UTF_8)));
    }

    private JsonNode awaitResponse(String approvalId) {
        await().atMost(WAIT)
                .until(() -> !slack.requests("POST", "/hooks/" + approvalId).isEmpty());
        StandIn.Request posted = slack.requests("POST", "/hooks/" + approvalId).get(0);
        try {
            return Json.mapper().readTree(posted.body());
        } catch (Exception e) {
            throw new AssertionError(posted.body(), e);
        }
    }

    @Test
    void signedApproveClickIsDecidedAsTheMappedLooplineUser() {
        String id = id();
        signed(click(SlackMessages.APPROVE_ACTION, id, "U0ALICE")).then().statusCode(200);

        JsonNode told = awaitResponse(id);
        assertThat(told.path("response_type").asText()).isEqualTo("ephemeral");
        assertThat(told.path("replace_original").asBoolean(true)).isFalse();
        assertThat(told.path("text").asText()).isEqualTo("approved " + id + " (1 of 1)");
        List<RecordingDecisions.Call> calls = decisions.calls(id);
        assertThat(calls).hasSize(1);
        RecordingDecisions.Call call = calls.get(0);
        assertThat(call.approve()).isTrue();
        assertThat(call.channel()).isEqualTo(Channel.SLACK);
        assertThat(call.caller().name()).isEqualTo("alice");
        assertThat(call.caller().role()).isEqualTo(Role.APPROVER);
        assertThat(call.caller().team()).isEqualTo("platform");
        assertThat(call.caller().bootstrap()).isFalse();
        // the lookup went to state-service with the gate's service token
        StandIn.Request lookup = slack.requests("GET", "/api/v1/admin/slack-users/T0TEAM/U0ALICE")
                .get(0);
        assertThat(lookup.header("Authorization")).isEqualTo("Bearer test-token");
    }

    @Test
    void rejectClickCarriesADefaultCommentAndSlashCommandsCarryTheirs() {
        String clicked = id();
        signed(click(SlackMessages.REJECT_ACTION, clicked, "U0ALICE")).then().statusCode(200);
        awaitResponse(clicked);
        assertThat(decisions.calls(clicked)).singleElement().satisfies(c -> {
            assertThat(c.approve()).isFalse();
            assertThat(c.comment()).isEqualTo("Rejected from Slack");
        });

        String typed = id();
        signed(command("reject " + typed + " breaks the build on arm64", typed, "U0ALICE"))
                .then()
                .statusCode(200)
                .body("response_type", equalTo("ephemeral"))
                .body("text", equalTo("Recording your rejection of `" + typed + "` as alice…"));
        assertThat(awaitResponse(typed).path("text").asText()).isEqualTo("rejected " + typed + " (1 of 1)");
        assertThat(decisions.calls(typed)).singleElement().satisfies(c -> {
            assertThat(c.approve()).isFalse();
            assertThat(c.comment()).isEqualTo("breaks the build on arm64");
            assertThat(c.channel()).isEqualTo(Channel.SLACK);
        });

        String approved = id();
        signed(command("approve " + approved, approved, "U0ALICE")).then().statusCode(200);
        awaitResponse(approved);
        assertThat(decisions.calls(approved)).singleElement().satisfies(c -> {
            assertThat(c.approve()).isTrue();
            assertThat(c.comment()).isNull();
        });
    }

    @Test
    void slashCommandStatusUsageAndRejectionWithoutReasonDecideNothing() {
        String id = id();
        signed(command("status " + id, id, "U0ALICE"))
                .then()
                .statusCode(200)
                .body("response_type", equalTo("ephemeral"))
                .body("text", containsString("`" + id + "` (docs-loop, team platform): open, 0 of 1 approvals"));
        signed(command("status missing-1", id, "U0ALICE"))
                .then()
                .statusCode(200)
                .body("text", equalTo("No approval request `missing-1`."));
        signed(command("merge " + id, id, "U0ALICE")).then().statusCode(200).body("text", equalTo(SlackCommand.USAGE));
        signed(command("reject " + id, id, "U0ALICE"))
                .then()
                .statusCode(200)
                .body("text", containsString("A rejection needs a reason"));
        assertThat(decisions.calls(id)).isEmpty();
    }

    @Test
    void unmappedSlackUserIsToldWhyAndNothingIsDecided() {
        String clicked = id();
        signed(click(SlackMessages.APPROVE_ACTION, clicked, "U0MALLORY")).then().statusCode(200);
        assertThat(awaitResponse(clicked).path("text").asText())
                .startsWith("You are not mapped to a Loopline user, so nothing was decided")
                .contains("U0MALLORY");

        String typed = id();
        signed(command("approve " + typed, typed, "U0MALLORY"))
                .then()
                .statusCode(200)
                .body("response_type", equalTo("ephemeral"))
                .body("text", containsString("You are not mapped to a Loopline user"));
        assertThat(decisions.calls(clicked)).isEmpty();
        assertThat(decisions.calls(typed)).isEmpty();
    }

    @Test
    void forgedStaleReplayedAndUnsignedRequestsAreRefusedAndDecideNothing() {
        String id = id();
        String body = click(SlackMessages.APPROVE_ACTION, id, "U0ALICE");
        byte[] raw = body.getBytes(StandardCharsets.UTF_8);
        String now = Long.toString(Instant.now().getEpochSecond());

        // forged: signed with another secret, or the body changed after signing
        send(body, now, SlackSignature.sign("not-the-secret", now, raw))
                .then()
                .statusCode(401)
                .body("type", endsWith("/invalid-signature"));
        String otherBody = click(SlackMessages.APPROVE_ACTION, id, "U0ALICE").replace("T0TEAM", "T0TEAN");
        send(otherBody, now, SlackSignature.sign(SlackProfile.SIGNING_SECRET, now, raw))
                .then()
                .statusCode(401);
        // stale: correctly signed, six minutes old
        String old = Long.toString(Instant.now().minusSeconds(360).getEpochSecond());
        send(body, old, SlackSignature.sign(SlackProfile.SIGNING_SECRET, old, raw))
                .then()
                .statusCode(401)
                .body("detail", containsString("not within 5 minutes"));
        // unsigned, and a Loopline bearer token is no substitute for Slack's signature
        send(body, null, null).then().statusCode(401);
        send(body, now, null).then().statusCode(401);
        given().auth()
                .oauth2("test-token")
                .contentType("application/x-www-form-urlencoded")
                .body(body)
                .post(PATH)
                .then()
                .statusCode(401)
                .body("type", endsWith("/invalid-signature"));
        assertThat(decisions.calls(id)).isEmpty();

        // replayed: the first copy counts, the second is refused
        String signature = SlackSignature.sign(SlackProfile.SIGNING_SECRET, now, raw);
        send(body, now, signature).then().statusCode(200);
        awaitResponse(id);
        send(body, now, signature).then().statusCode(409).body("type", endsWith("/delivery-replayed"));
        assertThat(decisions.calls(id)).hasSize(1);
        assertThat(slack.requests("POST", "/hooks/" + id)).hasSize(1);
    }

    @Test
    void onlyPostToTheExactActionsPathSkipsTheBearerToken() {
        given().get(PATH).then().statusCode(401).body("type", endsWith("/unauthorized"));
        given().contentType("application/x-www-form-urlencoded")
                .body("x=1")
                .post(PATH + "/other")
                .then()
                .statusCode(401)
                .body("type", endsWith("/unauthorized"));
    }

    @Test
    void signedRequestsThatAreNotOursAreRefusedOrIgnored() {
        signed("hello=world").then().statusCode(400).body("type", endsWith("/invalid-payload"));
        String id = id();
        // a response_url outside Slack's is never called back
        String elsewhere = click(SlackMessages.APPROVE_ACTION, id, "U0ALICE")
                .replace(
                        URLEncoder.encode(slack.url() + "/hooks/", StandardCharsets.UTF_8),
                        URLEncoder.encode("https://attacker.example/", StandardCharsets.UTF_8));
        signed(elsewhere).then().statusCode(400);
        assertThat(decisions.calls(id)).isEmpty();
    }
}
