package dev.loopline.state.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.loopline.state.OidcIssuerStub;
import dev.loopline.state.OidcTokens;
import dev.loopline.state.StateApi;
import dev.loopline.state.TickEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

/**
 * OIDC bearer JWTs against a real issuer (a JDK HTTP server publishing an RSA key set), alongside API tokens and the
 * bootstrap token. The issuer is a shared test resource, so every test of this module runs with OIDC on.
 */
@QuarkusTest
@QuarkusTestResource(value = OidcIssuerStub.class, restrictToAnnotatedClass = false)
class OidcAuthTest {

    @Test
    void adminGroupMayIssueApiTokensInItsOwnName() {
        String jwt = OidcTokens.token("ada", List.of("everyone", "loopline-admin"));
        given().auth()
                .oauth2(jwt)
                .contentType("application/json")
                .body("{\"name\":\"from-oidc-" + UUID.randomUUID() + "\",\"role\":\"viewer\"}")
                .post("/api/v1/admin/tokens")
                .then()
                .statusCode(201)
                .body("createdBy", equalTo("oidc:ada"));
        me(jwt, "oidc:ada", "admin", null);
    }

    @Test
    void viewerGroupReadsButMayNotKill() {
        String jwt = OidcTokens.token("vic", List.of("loopline-viewer"));
        given().auth().oauth2(jwt).get("/api/v1/ticks").then().statusCode(200);
        given().auth()
                .oauth2(jwt)
                .contentType("application/json")
                .body("{\"scope\":\"loop\",\"id\":\"" + TickEvents.newLoopId() + "\",\"reason\":\"test\"}")
                .post("/api/v1/control/kill")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", equalTo("Caller 'oidc:vic' (role viewer) may not operate"));
    }

    @Test
    void operatorGroupKillsUnderTheOidcName() {
        String jwt = OidcTokens.token("otto", List.of("loopline-viewer", "loopline-operator"));
        given().auth()
                .oauth2(jwt)
                .contentType("application/json")
                .body("{\"scope\":\"loop\",\"id\":\"" + TickEvents.newLoopId() + "\",\"reason\":\"test\"}")
                .post("/api/v1/control/kill")
                .then()
                .statusCode(200)
                .body("by", equalTo("oidc:otto"));
    }

    @Test
    void approverGroupMakesAnApproverOfThatTeamOnly() {
        String jwt = OidcTokens.token("april", List.of("loopline-viewer", "loopline-approver:payments"));
        me(jwt, "oidc:april", "approver", "payments");
        given().auth()
                .oauth2(jwt)
                .contentType("application/json")
                .body("{\"scope\":\"loop\",\"id\":\"" + TickEvents.newLoopId() + "\",\"reason\":\"test\"}")
                .post("/api/v1/control/kill")
                .then()
                .statusCode(403);
    }

    @Test
    void rolesClaimMayBeASpaceSeparatedString() {
        JwtClaims claims = OidcTokens.claims("sam", null);
        claims.setClaim("groups", "openid loopline-operator");
        me(OidcTokens.sign(claims, OidcTokens.signingKey()), "oidc:sam", "operator", null);
    }

    @Test
    void callerIsNamedBySubWithoutPreferredUsername() {
        JwtClaims claims = OidcTokens.claims("nobody", List.of("loopline-viewer"));
        claims.unsetClaim("preferred_username");
        claims.setSubject("3f2c9a");
        me(OidcTokens.sign(claims, OidcTokens.signingKey()), "oidc:3f2c9a", "viewer", null);
    }

    @Test
    void validTokenWithoutALooplineGroupIsForbiddenNamingTheSubject() {
        String jwt = OidcTokens.token("nogroup", List.of("everyone", "loopline-approver:"));
        given().auth()
                .oauth2(jwt)
                .get("/api/v1/ticks")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://loopline.dev/problems/forbidden"))
                .body("detail", containsString("'oidc:nogroup' has no Loopline group"))
                .body("detail", containsString("claim 'groups'"))
                .body("detail", containsString("loopline-viewer"));
    }

    @Test
    void expiredTokenIsUnauthorized() {
        JwtClaims claims = OidcTokens.claims("late", List.of("loopline-admin"));
        claims.setIssuedAt(NumericDate.fromSeconds(NumericDate.now().getValue() - 600));
        claims.setExpirationTimeMinutesInTheFuture(-2); // beyond the 30 s skew
        refused(OidcTokens.sign(claims, OidcTokens.signingKey()), "it has expired");
    }

    @Test
    void tokenWithoutExpiryIsUnauthorized() {
        JwtClaims claims = OidcTokens.claims("forever", List.of("loopline-admin"));
        claims.unsetClaim("exp");
        refused(OidcTokens.sign(claims, OidcTokens.signingKey()), "it has no 'exp'");
    }

    @Test
    void tokenOfAnotherIssuerIsUnauthorized() {
        JwtClaims claims = OidcTokens.claims("https://evil.example.com", "eve", List.of("loopline-admin"));
        refused(OidcTokens.sign(claims, OidcTokens.signingKey()), "not issued by the configured OIDC issuer");
    }

    @Test
    void tokenForAnotherAudienceIsUnauthorized() {
        JwtClaims claims = OidcTokens.claims("eve", List.of("loopline-admin"));
        claims.setAudience("some-other-api");
        refused(OidcTokens.sign(claims, OidcTokens.signingKey()), "its 'aud' does not name this API");
    }

    @Test
    void tokenSignedWithAnUnpublishedKeyIsUnauthorized() throws Exception {
        RsaJsonWebKey stranger = RsaJwkGenerator.generateJwk(2048);
        stranger.setKeyId("stranger");
        refused(
                OidcTokens.sign(OidcTokens.claims("eve", List.of("loopline-admin")), stranger),
                "signed with a key the issuer does not publish");
        // the published kid, but another key's signature
        stranger.setKeyId(OidcTokens.signingKey().getKeyId());
        refused(
                OidcTokens.sign(OidcTokens.claims("eve", List.of("loopline-admin")), stranger),
                "its signature is invalid");
    }

    @Test
    void unsignedAndHmacTokensAreUnauthorized() {
        JsonWebKey published = OidcTokens.signingKey();
        JwtClaims claims = OidcTokens.claims("eve", List.of("loopline-admin"));
        String none = OidcTokens.sign(claims, null, published.getKeyId(), AlgorithmIdentifiers.NONE);
        assertThat(none).endsWith(".");
        refused(none, "not a JWT signed with one of RS256");

        // the classic confusion attack: HS256 keyed with the issuer's public key
        HmacKey publicKeyAsSecret =
                new HmacKey(((PublicJsonWebKey) published).getPublicKey().getEncoded());
        refused(
                OidcTokens.sign(claims, publicKeyAsSecret, published.getKeyId(), AlgorithmIdentifiers.HMAC_SHA256),
                "not a JWT signed with one of RS256");
    }

    @Test
    void garbageShapedLikeAJwtIsUnauthorizedNotAnError() {
        unauthorized(given().auth().oauth2("a.b.c").get("/api/v1/ticks"));
        unauthorized(given().auth().oauth2("eyJhbGciOiJSUzI1NiJ9.e30.c2ln").get("/api/v1/ticks"));
    }

    @Test
    void rotatedKeyIsAcceptedWithoutRestart() {
        String before = OidcTokens.token("rita", List.of("loopline-viewer"));
        given().auth().oauth2(before).get("/api/v1/ticks").then().statusCode(200);

        JsonWebKey rotated = OidcTokens.rotate();
        String after = OidcTokens.sign(OidcTokens.claims("rita", List.of("loopline-viewer")), rotated);
        // the resolver refetches the key set for an unknown kid, at most every 300 ms (jose4j's reprieve)
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() ->
                        given().auth().oauth2(after).get("/api/v1/ticks").then().statusCode(200));
        // keys of before the rotation stay valid while the issuer publishes them
        given().auth().oauth2(before).get("/api/v1/ticks").then().statusCode(200);
    }

    @Test
    void unreachableIssuerRefusesJwtsWith401AndLogsOnceWithoutTheToken() throws Exception {
        String known = OidcTokens.token("kim", List.of("loopline-viewer"));
        given().auth().oauth2(known).get("/api/v1/ticks").then().statusCode(200);
        RsaJsonWebKey unpublished = RsaJwkGenerator.generateJwk(2048);
        unpublished.setKeyId("not-yet-published-" + UUID.randomUUID());
        String needsFetch = OidcTokens.sign(OidcTokens.claims("kim", List.of("loopline-viewer")), unpublished);

        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        OidcTokens.stopIssuer();
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().auth()
                    .oauth2(needsFetch)
                    .get("/api/v1/ticks")
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", "Bearer")
                    .body("type", equalTo("https://loopline.dev/problems/oidc-keys-unavailable"))
                    .body(
                            "detail",
                            equalTo("The signing keys of OIDC issuer " + OidcTokens.issuer()
                                    + " could not be fetched, so no JWT can be verified now; try again"
                                    + " later or use an API token")));
            given().auth().oauth2(needsFetch).get("/api/v1/ticks").then().statusCode(401);
            // keys already fetched are still used, and API tokens do not depend on the issuer
            given().auth().oauth2(known).get("/api/v1/ticks").then().statusCode(200);
            StateApi.api().get("/api/v1/ticks").then().statusCode(200);
        } finally {
            OidcTokens.startIssuer();
            root.removeHandler(capture);
        }

        List<LogRecord> warnings = logged.stream()
                .filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .filter(r -> r.getLoggerName().startsWith("dev.loopline.state.auth.Oidc"))
                .toList();
        assertThat(warnings).hasSize(1);
        assertThat(formatted(warnings.get(0)))
                .contains("could not be fetched")
                .contains(OidcTokens.issuer())
                .contains("ConnectException");
        assertThat(logged).allSatisfy(r -> assertThat(formatted(r))
                .doesNotContain(needsFetch)
                .doesNotContain(needsFetch.substring(0, needsFetch.indexOf('.')))
                .doesNotContain(known));
    }

    @Test
    void apiTokensAndTheBootstrapTokenWorkAlongsideOidc() {
        me(StateApi.TOKEN, "bootstrap", "admin", null);
        String viewer = StateApi.api()
                .contentType("application/json")
                .body("{\"name\":\"beside-oidc-" + UUID.randomUUID() + "\",\"role\":\"viewer\"}")
                .post("/api/v1/admin/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
        given().auth().oauth2(viewer).get("/api/v1/ticks").then().statusCode(200);
        unauthorized(given().auth().oauth2("llt_not-a-token").get("/api/v1/ticks"));
    }

    private static void me(String bearer, String name, String role, String team) {
        given().auth()
                .oauth2(bearer)
                .get("/api/v1/auth/me")
                .then()
                .statusCode(200)
                .body("name", equalTo(name))
                .body("role", equalTo(role))
                .body("team", team == null ? nullValue() : equalTo(team));
    }

    private static void refused(String jwt, String reason) {
        given().auth()
                .oauth2(jwt)
                .get("/api/v1/ticks")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("https://loopline.dev/problems/unauthorized"))
                .body("detail", containsString(reason));
    }

    private static void unauthorized(Response response) {
        response.then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo("https://loopline.dev/problems/unauthorized"));
    }

    private static String formatted(LogRecord record) {
        String message = String.valueOf(record.getMessage());
        Object[] parameters = record.getParameters();
        if (parameters != null) {
            for (Object p : parameters) {
                message += " " + p;
            }
        }
        return message + (record.getThrown() == null ? "" : " " + record.getThrown());
    }
}
