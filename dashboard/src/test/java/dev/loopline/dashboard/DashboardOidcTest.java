package dev.loopline.dashboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.loopline.testsupport.oidc.OidcProviderStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sign-in at the team's identity provider: authorization code with PKCE, bound to the browser that started it, one
 * use, and an ID token that answers this very sign-in. The provider is {@link OidcProviderStub}, which enforces
 * PKCE as real providers do.
 */
@QuarkusTest
@QuarkusTestResource(FakeStateService.class)
class DashboardOidcTest {

    /** What the browser holds after visiting /auth/oidc/start: the provider's URL and the flow cookie. */
    record Started(URI authorize, String binding) {}

    @BeforeEach
    void reset() {
        FakeStateService.reset();
    }

    private static Started start() {
        Response r = given().redirects().follow(false).get("/auth/oidc/start");
        r.then().statusCode(303);
        String cookie = r.getHeaders().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("loopline_oidc="))
                .findFirst()
                .orElseThrow();
        assertThat(cookie).contains("HttpOnly", "SameSite=Lax", "Path=/auth/oidc/");
        String binding = cookie.substring("loopline_oidc=".length(), cookie.indexOf(';'));
        return new Started(URI.create(r.getHeader("Location")), binding);
    }

    /** The provider signs the user in and sends the browser back: the callback URL it redirects to. */
    private static String atProvider(Started started) {
        Response r = given().redirects()
                .follow(false)
                .urlEncodingEnabled(false)
                .get(started.authorize().toString());
        r.then().statusCode(302);
        return r.getHeader("Location");
    }

    private static Response callback(String url, String binding) {
        var request = given().redirects().follow(false).urlEncodingEnabled(false);
        if (binding != null) {
            request = request.cookie("loopline_oidc", binding);
        }
        return request.get(url);
    }

    private static String sessionCookie(Response r) {
        return r.getHeaders().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("loopline_session=") && !c.contains("Max-Age=0"))
                .map(c -> c.substring("loopline_session=".length(), c.indexOf(';')))
                .findFirst()
                .orElse(null);
    }

    private static String errorShown(Response r) {
        String location = r.getHeader("Location");
        assertThat(location).contains("#sign-in-error=");
        return URLDecoder.decode(location.substring(location.indexOf('=') + 1), StandardCharsets.UTF_8);
    }

    @Test
    void theSignInPageOffersTheProviderWhenOneIsConfigured() {
        given().get("/auth/session").then().statusCode(200).body("oidc", equalTo(true));
    }

    @Test
    void startSendsTheBrowserToTheProviderWithAnS256Challenge() {
        Started started = start();

        assertThat(started.authorize().toString()).startsWith("http://127.0.0.1:");
        assertThat(started.authorize().getPath()).isEqualTo("/idp/authorize");
        atProvider(started);
        var q = FakeStateService.idp.lastAuthorize();
        assertThat(q)
                .containsEntry("response_type", "code")
                .containsEntry("client_id", OidcProviderStub.CLIENT_ID)
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("scope", "openid profile email");
        assertThat(q.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
        assertThat(q.get("state")).hasSizeGreaterThanOrEqualTo(43).isNotEqualTo(started.binding());
        assertThat(q.get("nonce")).hasSizeGreaterThanOrEqualTo(43);
        assertThat(q.get("redirect_uri")).endsWith("/auth/oidc/callback");
    }

    @Test
    void theUserComesBackSignedInAsThemselvesAndTheServicesSeeTheProvidersToken() {
        Started started = start();
        Response back = callback(atProvider(started), started.binding());

        back.then().statusCode(303);
        assertThat(back.getHeader("Location")).endsWith("/").doesNotContain("sign-in-error");
        String session = sessionCookie(back);
        assertThat(session).isNotBlank();
        assertThat(back.getHeaders().getValues("Set-Cookie"))
                .anySatisfy(c -> assertThat(c).startsWith("loopline_session=").contains("HttpOnly", "SameSite=Strict"))
                .anySatisfy(c -> assertThat(c).startsWith("loopline_oidc=;").contains("Max-Age=0"));

        given().cookie("loopline_session", session)
                .get("/auth/session")
                .then()
                .statusCode(200)
                .body("signedIn", equalTo(true))
                .body("name", equalTo(OidcProviderStub.DEFAULT_USER.username()))
                .body("role", equalTo("operator"));
        given().cookie("loopline_session", session).get("/api/v1/ticks").then().statusCode(200);
        List<FakeStateService.Call> ticks = FakeStateService.calls("/api/v1/ticks");
        assertThat(ticks).isNotEmpty();
        assertThat(ticks.get(ticks.size() - 1).authorization())
                .isEqualTo("Bearer " + FakeStateService.idp.lastIssued().accessToken());
    }

    @Test
    void aCallbackInAnotherBrowserOpensNoSession() {
        Started started = start();
        Response back = callback(atProvider(started), null);

        back.then().statusCode(303);
        assertThat(sessionCookie(back)).isNull();
        assertThat(errorShown(back)).contains("not started in this browser");
    }

    @Test
    void aCallbackWorksOnce() {
        Started started = start();
        String url = atProvider(started);
        assertThat(sessionCookie(callback(url, started.binding()))).isNotBlank();

        Response again = callback(url, started.binding());
        assertThat(sessionCookie(again)).isNull();
        assertThat(errorShown(again)).contains("unknown or was already used");
    }

    @Test
    void anIdTokenForAnotherSignInIsRefused() {
        FakeStateService.idp.forceIdTokenNonce("someone-elses-nonce");
        Started started = start();
        Response back = callback(atProvider(started), started.binding());

        assertThat(sessionCookie(back)).isNull();
        assertThat(errorShown(back)).contains("nonce mismatch");
    }

    @Test
    void anIdTokenForAnotherClientIsRefused() {
        FakeStateService.idp.forceIdTokenAudience("some-other-app");
        Started started = start();
        Response back = callback(atProvider(started), started.binding());

        assertThat(sessionCookie(back)).isNull();
        assertThat(errorShown(back)).contains("not for this dashboard");
    }

    @Test
    void aCodeWithoutItsVerifierIsRefusedByTheProvider() {
        Started started = start();
        String url = atProvider(started);
        // an attacker who intercepted the code starts their own flow and swaps the code in: the provider sees the
        // attacker's verifier, which does not answer the victim's challenge
        String code = url.substring(url.indexOf("code=") + 5, url.indexOf('&'));
        Started attacker = start();
        String attackerUrl = atProvider(attacker);
        String swapped = attackerUrl.replaceFirst("code=[^&]+", "code=" + code);

        Response back = callback(swapped, attacker.binding());

        assertThat(sessionCookie(back)).isNull();
        assertThat(errorShown(back)).contains("PKCE verification failed");
    }

    @Test
    void theProvidersRefusalIsShownOnTheSignInPage() {
        Started started = start();
        Response back = callback(
                "/auth/oidc/callback?error=access_denied&error_description=user%20cancelled&state=x",
                started.binding());

        assertThat(sessionCookie(back)).isNull();
        assertThat(errorShown(back)).contains("access_denied: user cancelled");
    }
}
