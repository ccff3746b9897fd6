package dev.loopline.state.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.loopline.state.StateApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Slack users mapped to Loopline approvers: only an admin manages them; gate-service looks them up. */
@QuarkusTest
class SlackUserMappingTest {

    private static String slackId(String prefix) {
        return prefix
                + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
    }

    @Test
    void adminMapsListsLooksUpAndDeletesASlackUser() {
        String workspace = slackId("T");
        String user = slackId("U");
        String path = "/api/v1/admin/slack-users/" + workspace + "/" + user;

        StateApi.api()
                .contentType("application/json")
                .body("{\"user\":\"alice\",\"role\":\"approver\",\"team\":\"platform\"}")
                .put(path)
                .then()
                .statusCode(200)
                .body("slackTeamId", equalTo(workspace))
                .body("slackUserId", equalTo(user))
                .body("user", equalTo("alice"))
                .body("role", equalTo("approver"))
                .body("team", equalTo("platform"))
                .body("createdBy", equalTo("bootstrap"));

        StateApi.api()
                .get(path)
                .then()
                .statusCode(200)
                .body("user", equalTo("alice"))
                .body("role", equalTo("approver"))
                .body("team", equalTo("platform"));
        StateApi.api().get("/api/v1/admin/slack-users").then().statusCode(200).body("slackUserId", hasItem(user));

        // a second PUT replaces the mapping: an admin who approves for every team
        StateApi.api()
                .contentType("application/json")
                .body("{\"user\":\"oidc:alice\",\"role\":\"admin\"}")
                .put(path)
                .then()
                .statusCode(200);
        StateApi.api()
                .get(path)
                .then()
                .statusCode(200)
                .body("user", equalTo("oidc:alice"))
                .body("role", equalTo("admin"))
                .body("team", nullValue());

        StateApi.api().delete(path).then().statusCode(204);
        StateApi.api()
                .get(path)
                .then()
                .statusCode(404)
                .body("detail", equalTo("Slack user " + user + " of workspace " + workspace + " is not mapped"));
        StateApi.api().delete(path).then().statusCode(404);
        StateApi.api().get("/api/v1/admin/slack-users").then().statusCode(200).body("slackUserId", not(hasItem(user)));
    }

    @Test
    void refusesRolesThatCannotApproveAndMalformedIds() {
        String path = "/api/v1/admin/slack-users/" + slackId("T") + "/" + slackId("U");
        StateApi.api()
                .contentType("application/json")
                .body("{\"user\":\"bob\",\"role\":\"viewer\"}")
                .put(path)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("role"));
        StateApi.api()
                .contentType("application/json")
                .body("{\"user\":\"bob\",\"role\":\"admin\",\"team\":\"platform\"}")
                .put(path)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("team"));
        StateApi.api()
                .contentType("application/json")
                .body("{\"user\":\"bob\",\"role\":\"approver\"}")
                .put("/api/v1/admin/slack-users/t-lower/U1")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("slackTeamId"));
    }

    @Test
    void onlyAnAdminManagesOrReadsMappings() {
        String approver = StateApi.api()
                .contentType("application/json")
                .body("{\"name\":\"slack-map-" + UUID.randomUUID().toString().substring(0, 8)
                        + "\",\"role\":\"approver\"}")
                .post("/api/v1/admin/tokens")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("token");
        String path = "/api/v1/admin/slack-users/" + slackId("T") + "/" + slackId("U");
        given().auth()
                .oauth2(approver)
                .contentType("application/json")
                .body("{\"user\":\"mallory\",\"role\":\"admin\"}")
                .put(path)
                .then()
                .statusCode(403);
        given().auth().oauth2(approver).get(path).then().statusCode(403);
        given().get("/api/v1/admin/slack-users").then().statusCode(401);
        JsonPath none =
                StateApi.api().get(path).then().statusCode(404).extract().jsonPath();
        org.assertj.core.api.Assertions.assertThat(none.getString("type")).endsWith("/not-found");
    }
}
