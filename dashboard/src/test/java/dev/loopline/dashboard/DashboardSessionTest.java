package dev.loopline.dashboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sign-in with one's own token, the session cookie, CSRF, and acting upstream as the signed-in user. */
@QuarkusTest
@QuarkusTestResource(FakeStateService.class)
class DashboardSessionTest {

    @TestHTTPResource("/")
    URI base;

    /** A signed-in browser: its session cookie and CSRF token. */
    record Browser(String session, String csrf) {}

    @BeforeEach
    void tokens() {
        FakeStateService.reset();
    }

    @Test
    void servesTheSignInPageWithoutASession() {
        given().get("/").then().statusCode(200).body(containsString("id=\"app\""));
        given().get("/app.js").then().statusCode(200).body(containsString("X-CSRF-Token"));
        given().get("/ticks/t-1").then().statusCode(200).body(containsString("/app.js"));
    }

    @Test
    void signInSetsAnHttpOnlyStrictSessionCookieAndNeverHandsBackTheToken() {
        Response pre = given().get("/auth/session");
        pre.then().statusCode(200).body("signedIn", equalTo(false));
        String csrf = pre.jsonPath().getString("csrf");
        assertThat(pre.getHeader("Set-Cookie")).contains("loopline_csrf=" + csrf, "HttpOnly", "SameSite=Strict");

        Response signedIn = given().cookie("loopline_csrf", csrf)
                .header("X-CSRF-Token", csrf)
                .contentType("application/json")
                .body("{\"token\":\"" + FakeStateService.OPERATOR + "\"}")
                .post("/auth/sign-in");

        signedIn.then()
                .statusCode(200)
                .body("signedIn", equalTo(true))
                .body("name", equalTo("ops-alice"))
                .body("role", equalTo("operator"))
                .body("may.operate", equalTo(true))
                .body("may.approve", equalTo(false));
        assertThat(signedIn.asString()).doesNotContain(FakeStateService.OPERATOR);
        List<String> cookies = signedIn.getHeaders().getValues("Set-Cookie");
        assertThat(cookies).anySatisfy(c -> assertThat(c)
                .startsWith("loopline_session=")
                .contains("HttpOnly", "SameSite=Strict", "Path=/")
                .doesNotContain("Secure")
                .doesNotContain(FakeStateService.OPERATOR));
        assertThat(signedIn.jsonPath().getString("csrf")).isNotEqualTo(csrf);
    }

    @Test
    void theCookieIsSecureWhenTheRequestCameOverTls() {
        Response pre = given().header("X-Forwarded-Proto", "https").get("/auth/session");
        assertThat(pre.getHeader("Set-Cookie")).contains("Secure");
        Response signedIn = given().header("X-Forwarded-Proto", "https")
                .cookie("loopline_csrf", pre.jsonPath().getString("csrf"))
                .header("X-CSRF-Token", pre.jsonPath().getString("csrf"))
                .contentType("application/json")
                .body("{\"token\":\"" + FakeStateService.VIEWER + "\"}")
                .post("/auth/sign-in");
        assertThat(signedIn.getHeaders().getValues("Set-Cookie"))
                .anySatisfy(c -> assertThat(c).startsWith("loopline_session=").contains("; Secure"));
    }

    @Test
    void signInWithoutThePreSessionCsrfTokenIsRefused() {
        given().contentType("application/json")
                .body("{\"token\":\"" + FakeStateService.OPERATOR + "\"}")
                .post("/auth/sign-in")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("X-CSRF-Token"));
        assertThat(FakeStateService.calls("/api/v1/auth/me")).isEmpty();
    }

    @Test
    void anUnknownTokenIsRefusedAndOpensNoSession() {
        Response pre = given().get("/auth/session");
        String csrf = pre.jsonPath().getString("csrf");
        Response refused = given().cookie("loopline_csrf", csrf)
                .header("X-CSRF-Token", csrf)
                .contentType("application/json")
                .body("{\"token\":\"llt_nobody\"}")
                .post("/auth/sign-in");
        refused.then().statusCode(401).body("detail", containsString("does not accept this token"));
        assertThat(refused.getHeaders().getValues("Set-Cookie")).noneMatch(c -> c.startsWith("loopline_session="));
    }

    @Test
    void theApiNeedsASession() {
        given().get("/api/v1/ticks")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("detail", containsString("Sign in"));
        given().cookie("loopline_session", "forged").get("/api/v1/ticks").then().statusCode(401);
        given().header("Authorization", "Bearer " + FakeStateService.OPERATOR)
                .get("/api/v1/ticks")
                .then()
                .statusCode(401);
        assertThat(FakeStateService.calls("/api/v1/ticks")).isEmpty();
    }

    @Test
    void everyUpstreamCallCarriesTheSignedInUsersOwnToken() {
        Browser alice = signIn(FakeStateService.OPERATOR);
        Browser bob = signIn(FakeStateService.VIEWER);

        given().cookie("loopline_session", alice.session())
                .get("/api/v1/ticks?limit=5")
                .then()
                .statusCode(200)
                .body("items[0].tickId", equalTo("t-1"));
        given().cookie("loopline_session", bob.session())
                .get("/api/v1/ticks")
                .then()
                .statusCode(200);

        assertThat(FakeStateService.calls("/api/v1/ticks"))
                .extracting(FakeStateService.Call::path, FakeStateService.Call::authorization)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "/api/v1/ticks?limit=5", "Bearer " + FakeStateService.OPERATOR),
                        org.assertj.core.groups.Tuple.tuple("/api/v1/ticks", "Bearer " + FakeStateService.VIEWER));
    }

    @Test
    void theLoopListComesFromStateServiceAndTheSpecErrorsFromTheSchedulersSchedule() {
        Browser alice = signIn(FakeStateService.OPERATOR);

        given().cookie("loopline_session", alice.session())
                .get("/api/v1/loops")
                .then()
                .statusCode(200)
                .body("[0].loopId", equalTo("docs"));
        given().cookie("loopline_session", alice.session())
                .get("/api/v1/specs")
                .then()
                .statusCode(200)
                .body("[0].id", equalTo("broken"));

        assertThat(FakeStateService.calls("/api/v1/loops"))
                .extracting(FakeStateService.Call::path)
                .containsExactly("/api/v1/loops");
        assertThat(FakeStateService.calls("/api/v1/schedule"))
                .extracting(FakeStateService.Call::path)
                .containsExactly("/api/v1/schedule");
    }

    @Test
    void aPostWithoutTheSessionsCsrfTokenNeverReachesTheService() {
        Browser alice = signIn(FakeStateService.OPERATOR);
        String kill = "{\"scope\":\"team\",\"id\":\"ops\",\"reason\":\"incident\"}";

        given().cookie("loopline_session", alice.session())
                .contentType("application/json")
                .body(kill)
                .post("/api/v1/control/kill")
                .then()
                .statusCode(403)
                .body("detail", containsString("X-CSRF-Token"));
        given().cookie("loopline_session", alice.session())
                .header("X-CSRF-Token", "not-the-token")
                .contentType("application/json")
                .body(kill)
                .post("/api/v1/control/kill")
                .then()
                .statusCode(403);
        given().cookie("loopline_session", alice.session())
                .header("X-CSRF-Token", alice.csrf())
                .header("Origin", "https://evil.example")
                .contentType("application/json")
                .body(kill)
                .post("/api/v1/control/kill")
                .then()
                .statusCode(403)
                .body("detail", containsString("another site"));
        assertThat(FakeStateService.calls("/api/v1/control/kill")).isEmpty();

        given().cookie("loopline_session", alice.session())
                .header("X-CSRF-Token", alice.csrf())
                .header("Origin", base.getScheme() + "://" + base.getAuthority())
                .contentType("application/json")
                .body(kill)
                .post("/api/v1/control/kill")
                .then()
                .statusCode(200)
                .body("state", equalTo("killed"));
        assertThat(FakeStateService.calls("/api/v1/control/kill"))
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.authorization()).isEqualTo("Bearer " + FakeStateService.OPERATOR);
                    assertThat(c.body()).contains("\"scope\":\"team\"", "\"id\":\"ops\"", "\"reason\":\"incident\"");
                });
    }

    @Test
    void aViewerGetsNoControlsAndTheServicesRefusalReachesThePage() {
        Browser bob = signIn(FakeStateService.VIEWER);
        given().cookie("loopline_session", bob.session())
                .get("/auth/session")
                .then()
                .body("role", equalTo("viewer"))
                .body("may.operate", equalTo(false))
                .body("may.approve", equalTo(false));

        given().cookie("loopline_session", bob.session())
                .header("X-CSRF-Token", bob.csrf())
                .contentType("application/json")
                .body("{\"scope\":\"team\",\"id\":\"ops\",\"reason\":\"try\"}")
                .post("/api/v1/control/kill")
                .then()
                .statusCode(403)
                .body("detail", containsString("operate"));
        given().cookie("loopline_session", bob.session())
                .header("X-CSRF-Token", bob.csrf())
                .contentType("application/json")
                .body("{\"comment\":\"ok\"}")
                .post("/api/v1/approvals/a-1/approve")
                .then()
                .statusCode(403);
        assertThat(FakeStateService.calls("/api/v1/approvals/a-1/approve"))
                .singleElement()
                .satisfies(c -> assertThat(c.body()).contains("\"channel\":\"dashboard\""));
    }

    @Test
    void signOutEndsTheSession() {
        Browser alice = signIn(FakeStateService.OPERATOR);
        given().cookie("loopline_session", alice.session())
                .post("/auth/sign-out")
                .then()
                .statusCode(403);

        Response out = given().cookie("loopline_session", alice.session())
                .header("X-CSRF-Token", alice.csrf())
                .post("/auth/sign-out");

        out.then().statusCode(204);
        assertThat(out.getHeader("Set-Cookie")).startsWith("loopline_session=;").contains("Max-Age=0");
        given().cookie("loopline_session", alice.session())
                .get("/api/v1/ticks")
                .then()
                .statusCode(401);
    }

    @Test
    void aRevokedTokenEndsItsSessionAtTheNextCall() {
        Browser alice = signIn(FakeStateService.OPERATOR);
        FakeStateService.TOKENS.remove(FakeStateService.OPERATOR);

        given().cookie("loopline_session", alice.session())
                .get("/api/v1/ticks")
                .then()
                .statusCode(401)
                .body("detail", containsString("sign in again"));
        FakeStateService.reset();
        given().cookie("loopline_session", alice.session())
                .get("/api/v1/ticks")
                .then()
                .statusCode(401);
    }

    @Test
    void oneUpstreamStreamFeedsFiftyBrowsersAndAReconnectResumesAfterItsLastEvent() throws Exception {
        Browser alice = signIn(FakeStateService.OPERATOR);
        Browser bob = signIn(FakeStateService.VIEWER);
        long upstreamBefore = FakeStateService.streamsOpen();
        List<List<String>> browsers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            List<String> lines = new CopyOnWriteArrayList<>();
            browsers.add(lines);
            listen(i % 2 == 0 ? alice : bob, null, lines);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> FakeStateService.streamsOpen() > upstreamBefore);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> browsers.stream().allMatch(lines -> lines.contains(":subscribed")));

        FakeStateService.push(41, "{\"tick\":{\"tickId\":\"t-41\"}}");
        FakeStateService.push(42, "{\"tick\":{\"tickId\":\"t-42\"}}");

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(browsers).allSatisfy(lines -> assertThat(lines)
                        .contains("id:41", "id:42", "event:tick", "data:{\"tick\":{\"tickId\":\"t-42\"}}")));
        assertThat(FakeStateService.streamsOpen() - upstreamBefore)
                .as("one upstream stream for fifty browsers")
                .isEqualTo(1);
        assertThat(FakeStateService.calls("/api/v1/stream")).last().satisfies(c -> assertThat(c.authorization())
                .startsWith("Bearer llt_"));

        List<String> resumed = new CopyOnWriteArrayList<>();
        listen(bob, 41L, resumed);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(resumed).contains("id:42").doesNotContain("id:41"));

        // a burst reaches every browser whole and in order; an event arrives without its payload, as one line
        int burst = 500;
        for (int i = 1; i <= burst; i++) {
            FakeStateService.push(42 + i, "{\"tick\":{\"tickId\":\"t-" + (42 + i) + "\"}}");
        }
        long multiLine = 43 + burst;
        FakeStateService.push(
                multiLine,
                "{\"tick\":\n{\"tickId\":\"multi\"},\n\"event\":{\"type\":\"loopline.change.proposed\","
                        + "\"data\":{\"diff\":\"--- a/x\\n+++ b/x\"}}}");
        List<String> expected = new ArrayList<>();
        for (long id = 41; id <= multiLine; id++) {
            expected.add("id:" + id);
        }
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(browsers).allSatisfy(lines -> assertThat(lines.stream()
                                .filter(line -> line.startsWith("id:"))
                                .toList())
                        .containsExactlyElementsOf(expected)));
        assertThat(browsers).allSatisfy(lines -> assertThat(lines)
                .containsSubsequence(
                        "id:" + multiLine,
                        "event:tick",
                        "data:{\"tick\":{\"tickId\":\"multi\"},\"event\":{\"type\":\"loopline.change.proposed\"}}",
                        ""));
    }

    @Test
    void theStreamNeedsASessionAndAnEventIdAsItsLastEventId() {
        given().header("Accept", "text/event-stream")
                .get("/api/v1/stream")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("detail", containsString("Sign in"));
        Browser alice = signIn(FakeStateService.OPERATOR);
        given().cookie("loopline_session", alice.session())
                .header("Last-Event-ID", "yesterday")
                .get("/api/v1/stream")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("Last-Event-ID"));
    }

    private void listen(Browser browser, Long lastEventId, List<String> lines) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/api/v1/stream"))
                .header("Cookie", "loopline_session=" + browser.session())
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId.toString());
        }
        CompletableFuture.runAsync(() -> {
            try {
                HttpResponse<Stream<String>> response =
                        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofLines());
                Iterator<String> it = response.body().iterator();
                while (it.hasNext()) {
                    lines.add(it.next().replace(": ", ":"));
                }
            } catch (Exception e) {
                lines.add("failed: " + e);
            }
        });
    }

    private static Browser signIn(String token) {
        String csrf = given().get("/auth/session").jsonPath().getString("csrf");
        Response signedIn = given().cookie("loopline_csrf", csrf)
                .header("X-CSRF-Token", csrf)
                .contentType("application/json")
                .body("{\"token\":\"" + token + "\"}")
                .post("/auth/sign-in");
        signedIn.then().statusCode(200);
        return new Browser(
                signedIn.getCookie("loopline_session"), signedIn.jsonPath().getString("csrf"));
    }
}
