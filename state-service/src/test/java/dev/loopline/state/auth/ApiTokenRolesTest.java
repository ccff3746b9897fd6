package dev.loopline.state.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.loopline.state.StateApi;
import dev.loopline.state.TickEvents;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Issued tokens: hashed at rest, shown once, one role each; unknown, expired and revoked tokens are refused. */
@QuarkusTest
class ApiTokenRolesTest {

    @Inject
    EntityManager em;

    @Test
    void tokenIsShownOnceAndStoredOnlyAsItsSha256() throws Exception {
        JsonPath created = issue("viewer", null, null);
        String token = created.getString("token");
        assertThat(token).startsWith("llt_").hasSizeGreaterThan(40);
        assertThat(created.getString("role")).isEqualTo("viewer");
        assertThat(created.getString("createdBy")).isEqualTo("bootstrap");
        assertThat(Instant.parse(created.getString("expiresAt")))
                .isBetween(
                        Instant.now().plus(89, ChronoUnit.DAYS), Instant.now().plus(91, ChronoUnit.DAYS));

        String stored = QuarkusTransaction.requiringNew()
                .call(() -> (String) em.createNativeQuery("SELECT token_hash FROM api_token WHERE name = :name")
                        .setParameter("name", created.getString("name"))
                        .getSingleResult());
        assertThat(stored)
                .isEqualTo(HexFormat.of()
                        .formatHex(
                                MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8))));

        String listing = StateApi.api()
                .get("/api/v1/admin/tokens")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(listing)
                .contains(created.getString("name"))
                .doesNotContain(token)
                .doesNotContain(stored);
        List<Map<String, Object>> ours =
                JsonPath.from(listing).getList("findAll { it.name == '" + created.getString("name") + "' }");
        assertThat(ours).hasSize(1);
        assertThat(ours.get(0)).doesNotContainKeys("token", "tokenHash").containsEntry("revoked", false);
    }

    @Test
    void viewerMayReadButNotOperateOrAdminister() {
        String viewer = issue("viewer", null, null).getString("token");
        given().auth().oauth2(viewer).get("/api/v1/ticks").then().statusCode(200);
        given().auth().oauth2(viewer).get("/api/v1/budget").then().statusCode(200);
        given().auth().oauth2(viewer).get("/api/v1/control").then().statusCode(200);
        forbidden(given().auth()
                .oauth2(viewer)
                .contentType("application/json")
                .body(kill(TickEvents.newLoopId(), null))
                .post("/api/v1/control/kill"));
        forbidden(given().auth()
                .oauth2(viewer)
                .contentType("application/json")
                .body(reservation(TickEvents.newLoopId()))
                .post("/api/v1/budget/reservations"));
        forbidden(given().auth().oauth2(viewer).get("/api/v1/admin/tokens"));
    }

    @Test
    void operatorReservesAndKillsUnderItsOwnNameButSetsNoCaps() {
        JsonPath issued = issue("operator", null, null);
        String operator = issued.getString("token");
        String loop = TickEvents.newLoopId();
        given().auth()
                .oauth2(operator)
                .contentType("application/json")
                .body(reservation(loop))
                .post("/api/v1/budget/reservations")
                .then()
                .statusCode(201);
        // a self-asserted "by" does not override the token's name
        given().auth()
                .oauth2(operator)
                .contentType("application/json")
                .body(kill(loop, "somebody-else"))
                .post("/api/v1/control/kill")
                .then()
                .statusCode(200)
                .body("by", equalTo(issued.getString("name")));
        Object actor = QuarkusTransaction.requiringNew()
                .call(() -> em.createNativeQuery("SELECT actor FROM control_event WHERE scope_id = :id")
                        .setParameter("id", loop)
                        .getSingleResult());
        assertThat(actor).isEqualTo(issued.getString("name"));

        forbidden(given().auth()
                .oauth2(operator)
                .contentType("application/json")
                .body("{\"scope\":{\"kind\":\"loop\",\"id\":\"" + loop + "\"},\"dailyTokens\":10}")
                .put("/api/v1/budget/caps"));
        forbidden(given().auth()
                .oauth2(operator)
                .contentType("application/json")
                .body("{\"name\":\"x-" + UUID.randomUUID() + "\",\"role\":\"admin\"}")
                .post("/api/v1/admin/tokens"));
    }

    @Test
    void approverIsBoundToOneTeamAndMayNotOperate() {
        JsonPath issued = issue("approver", "payments", null);
        assertThat(issued.getString("team")).isEqualTo("payments");
        String approver = issued.getString("token");
        given().auth().oauth2(approver).get("/api/v1/loops").then().statusCode(200);
        forbidden(given().auth()
                .oauth2(approver)
                .contentType("application/json")
                .body(kill(TickEvents.newLoopId(), null))
                .post("/api/v1/control/kill"));

        StateApi.api()
                .contentType("application/json")
                .body("{\"name\":\"v-" + UUID.randomUUID() + "\",\"role\":\"viewer\",\"team\":\"payments\"}")
                .post("/api/v1/admin/tokens")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("team"));
    }

    @Test
    void issuedAdminSetsCapsAndIssuesTokensInItsName() {
        JsonPath admin = issue("admin", null, null);
        String loop = TickEvents.newLoopId();
        given().auth()
                .oauth2(admin.getString("token"))
                .contentType("application/json")
                .body("{\"scope\":{\"kind\":\"loop\",\"id\":\"" + loop + "\"},\"dailyTokens\":10}")
                .put("/api/v1/budget/caps")
                .then()
                .statusCode(200)
                .body("cap", is(10));
        given().auth()
                .oauth2(admin.getString("token"))
                .contentType("application/json")
                .body("{\"name\":\"v-" + UUID.randomUUID() + "\",\"role\":\"viewer\"}")
                .post("/api/v1/admin/tokens")
                .then()
                .statusCode(201)
                .body("createdBy", equalTo(admin.getString("name")));
    }

    @Test
    void expiredTokenIsUnauthorized() {
        JsonPath issued = issue("viewer", null, Instant.now().plus(1, ChronoUnit.HOURS));
        String token = issued.getString("token");
        given().auth().oauth2(token).get("/api/v1/ticks").then().statusCode(200);

        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "UPDATE api_token SET expires_at = now() - interval '1 second' WHERE name = :name")
                .setParameter("name", issued.getString("name"))
                .executeUpdate());

        unauthorized(given().auth().oauth2(token).get("/api/v1/ticks"));
    }

    @Test
    void revokedTokenIsUnauthorizedAndListedAsRevoked() {
        JsonPath issued = issue("operator", null, null);
        String token = issued.getString("token");
        given().auth().oauth2(token).get("/api/v1/ticks").then().statusCode(200);

        StateApi.api()
                .delete("/api/v1/admin/tokens/{id}", issued.getString("id"))
                .then()
                .statusCode(200)
                .body("revoked", is(true));
        // idempotent
        StateApi.api()
                .delete("/api/v1/admin/tokens/{id}", issued.getString("id"))
                .then()
                .statusCode(200)
                .body("revoked", is(true));

        unauthorized(given().auth().oauth2(token).get("/api/v1/ticks"));
        unauthorized(given().auth().oauth2("llt_" + "A".repeat(43)).get("/api/v1/ticks"));
        StateApi.api()
                .delete("/api/v1/admin/tokens/{id}", UUID.randomUUID())
                .then()
                .statusCode(404);
    }

    @Test
    void tokenNamesAreUniqueAndTheBootstrapNameIsReserved() {
        JsonPath issued = issue("viewer", null, null);
        StateApi.api()
                .contentType("application/json")
                .body("{\"name\":\"" + issued.getString("name") + "\",\"role\":\"admin\"}")
                .post("/api/v1/admin/tokens")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://loopline.dev/problems/token-name-taken"));
        StateApi.api()
                .contentType("application/json")
                .body("{\"name\":\"bootstrap\",\"role\":\"admin\"}")
                .post("/api/v1/admin/tokens")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("name"));
    }

    private static JsonPath issue(String role, String team, Instant expiresAt) {
        String name = role + "-" + UUID.randomUUID().toString().substring(0, 8);
        StringBuilder body = new StringBuilder("{\"name\":\"" + name + "\",\"role\":\"" + role + "\"");
        if (team != null) {
            body.append(",\"team\":\"").append(team).append('"');
        }
        if (expiresAt != null) {
            body.append(",\"expiresAt\":\"").append(expiresAt).append('"');
        }
        body.append('}');
        return StateApi.api()
                .contentType("application/json")
                .body(body.toString())
                .post("/api/v1/admin/tokens")
                .then()
                .statusCode(201)
                .body("name", equalTo(name))
                .extract()
                .jsonPath();
    }

    private static String kill(String loop, String by) {
        return "{\"scope\":\"loop\",\"id\":\"" + loop + "\",\"reason\":\"test\""
                + (by == null ? "" : ",\"by\":\"" + by + "\"") + "}";
    }

    private static String reservation(String loop) {
        return "{\"scopes\":[{\"kind\":\"loop\",\"id\":\"" + loop + "\"}],\"tokens\":5}";
    }

    private static void forbidden(io.restassured.response.Response response) {
        response.then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://loopline.dev/problems/forbidden"))
                .body("status", is(403));
    }

    private static void unauthorized(io.restassured.response.Response response) {
        response.then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("https://loopline.dev/problems/unauthorized"));
    }
}
