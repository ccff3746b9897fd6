package dev.loopline.testsupport.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.schemas.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The code flow with PKCE against the stub, as a client runs it, and its tokens verified against its key set. */
class OidcProviderStubTest {

    private static final String CALLBACK = "http://localhost:9/auth/oidc/callback";
    private static final HttpClient HTTP = HttpClient.newHttpClient(); // never follows redirects

    private OidcProviderStub provider;

    @BeforeEach
    void start() {
        provider = new OidcProviderStub()
                .path("/realms/test")
                .client("web", CALLBACK)
                .audience("api")
                .start();
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    /** A sign-in begun by a client: its PKCE verifier, nonce and state, and where the provider sent the browser. */
    private record Flow(String verifier, String nonce, String state, HttpResponse<String> answer) {
        Map<String, String> back() {
            String location = answer.headers().firstValue("Location").orElseThrow();
            assertThat(location).startsWith(CALLBACK + "?");
            return query(location.substring(location.indexOf('?') + 1));
        }
    }

    private Flow authorize(String clientId, String redirectUri) {
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        String nonce = "n-" + UUID.randomUUID();
        String state = "s-" + UUID.randomUUID();
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", clientId);
        q.put("redirect_uri", redirectUri);
        q.put("scope", "openid");
        q.put("state", state);
        q.put("nonce", nonce);
        q.put("code_challenge", OidcProviderStub.s256(verifier));
        q.put("code_challenge_method", "S256");
        return new Flow(verifier, nonce, state, get(endpoint("authorization_endpoint") + "?" + form(q)));
    }

    private HttpResponse<String> token(String code, String verifier, String redirectUri, String basic) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "authorization_code");
        f.put("code", code);
        f.put("redirect_uri", redirectUri);
        f.put("code_verifier", verifier);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint("token_endpoint")))
                .header("Content-Type", "application/x-www-form-urlencoded");
        if (basic == null) {
            f.put("client_id", "web");
        } else {
            request.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        return send(request.POST(HttpRequest.BodyPublishers.ofString(form(f))).build());
    }

    @Test
    void signsTheUserInWithPkceAndIssuesTokensItsKeySetVerifies() throws Exception {
        provider.signsIn(new OidcProviderStub.User("u-7", "vic", "Vic Viewer", List.of("everyone", "loopline-viewer")));
        List<OidcProviderStub.Issued> seen = new CopyOnWriteArrayList<>();
        provider.onIssue(seen::add);

        Flow flow = authorize("web", CALLBACK);
        assertThat(flow.answer().statusCode()).isEqualTo(302);
        Map<String, String> back = flow.back();
        assertThat(back).containsEntry("state", flow.state()).containsKey("code");
        HttpResponse<String> answer = token(back.get("code"), flow.verifier(), CALLBACK, null);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode tokens = Json.mapper().readTree(answer.body());
        assertThat(tokens.path("token_type").asText()).isEqualTo("Bearer");
        JwtClaims access =
                consumer("api").processToClaims(tokens.path("access_token").asText());
        assertThat(access.getSubject()).isEqualTo("u-7");
        assertThat(access.getStringClaimValue("preferred_username")).isEqualTo("vic");
        assertThat(access.getStringListClaimValue("groups")).containsExactly("everyone", "loopline-viewer");
        assertThat(access.getClaimValue("azp")).isEqualTo("web");
        JwtClaims id = consumer("web").processToClaims(tokens.path("id_token").asText());
        assertThat(id.getClaimValue("nonce")).isEqualTo(flow.nonce());
        assertThat(id.getClaimValue("name")).isEqualTo("Vic Viewer");
        assertThat(seen).singleElement().satisfies(issued -> {
            assertThat(issued.accessToken())
                    .isEqualTo(tokens.path("access_token").asText());
            assertThat(issued.user().username()).isEqualTo("vic");
        });
        assertThat(provider.lastIssued()).isEqualTo(seen.get(0));
        // the access token is not for the client, nor the ID token for the API
        assertThatThrownBy(() -> consumer("web")
                        .processToClaims(tokens.path("access_token").asText()))
                .isInstanceOf(InvalidJwtException.class);
        assertThatThrownBy(() ->
                        consumer("api").processToClaims(tokens.path("id_token").asText()))
                .isInstanceOf(InvalidJwtException.class);
    }

    @Test
    void aCodeWorksOnceAndOnlyWithItsVerifierAndItsRedirectUri() {
        Flow flow = authorize("web", CALLBACK);
        String code = flow.back().get("code");
        assertThat(refusal(token(code, "another-verifier-of-forty-three-characters-x", CALLBACK, null)))
                .isEqualTo("PKCE verification failed");
        // the failed attempt used the code up
        assertThat(refusal(token(code, flow.verifier(), CALLBACK, null))).isEqualTo("unknown or used code");

        Flow second = authorize("web", CALLBACK);
        assertThat(refusal(token(second.back().get("code"), second.verifier(), CALLBACK + "/other", null)))
                .isEqualTo("redirect_uri differs from the authorize request's");
    }

    @Test
    void anUnknownClientOrRedirectUriIsShownAnErrorNotRedirected() {
        HttpResponse<String> stranger = authorize("someone-else", CALLBACK).answer();
        assertThat(stranger.statusCode()).isEqualTo(400);
        assertThat(stranger.headers().firstValue("Location")).isEmpty();
        assertThat(stranger.body()).contains("Unknown client");

        HttpResponse<String> elsewhere =
                authorize("web", "https://evil.example.com/callback").answer();
        assertThat(elsewhere.statusCode()).isEqualTo(400);
        assertThat(elsewhere.headers().firstValue("Location")).isEmpty();
        assertThat(elsewhere.body()).contains("Invalid redirect_uri");
        assertThat(provider.lastIssued()).isNull();
    }

    @Test
    void aConfidentialClientMustAuthenticateWithItsSecret() {
        provider.clientSecret("s3cret");
        Flow flow = authorize("web", CALLBACK);
        assertThat(refusal(token(flow.back().get("code"), flow.verifier(), CALLBACK, "web:wrong")))
                .isEqualTo("client authentication failed");
        Flow again = authorize("web", CALLBACK);
        assertThat(token(again.back().get("code"), again.verifier(), CALLBACK, "web:s3cret")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void comesBackOnTheSamePortWithTheSameKeysAfterAnOutage() throws Exception {
        String issuer = provider.issuer();
        String token = provider.accessToken(OidcProviderStub.User.of("kim", List.of("loopline-viewer")));
        provider.stop();
        assertThatThrownBy(() -> HTTP.send(
                        HttpRequest.newBuilder(URI.create(issuer + "/jwks")).build(),
                        HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);

        provider.start();
        assertThat(provider.issuer()).isEqualTo(issuer);
        assertThat(consumer("api").processToClaims(token).getStringClaimValue("preferred_username"))
                .isEqualTo("kim");
    }

    private JwtConsumer consumer(String audience) {
        return new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setExpectedIssuer(provider.issuer())
                .setExpectedAudience(audience)
                .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(new HttpsJwks(endpoint("jwks_uri"))))
                .build();
    }

    private String endpoint(String name) {
        HttpResponse<String> discovery = get(provider.issuer() + "/.well-known/openid-configuration");
        assertThat(discovery.statusCode()).isEqualTo(200);
        try {
            JsonNode doc = Json.mapper().readTree(discovery.body());
            assertThat(doc.path("issuer").asText()).isEqualTo(provider.issuer());
            return doc.path(name).asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String refusal(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        try {
            JsonNode body = Json.mapper().readTree(answer.body());
            assertThat(body.path("error").asText()).isEqualTo("invalid_grant");
            return body.path("error_description").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String form(Map<String, String> values) {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> b.append(b.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return b.toString();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
