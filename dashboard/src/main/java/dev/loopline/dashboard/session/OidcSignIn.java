package dev.loopline.dashboard.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.dashboard.config.DashboardConfig;
import dev.loopline.schemas.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sign-in at the team's identity provider: the OpenID Connect authorization code flow with PKCE (RFC 7636, S256).
 *
 * <p>{@link #start} remembers a pending sign-in under a random {@code state} and hands back the provider's authorize
 * URL plus a second random value, the <em>binding</em>, for a cookie of the browser that started; {@link #finish}
 * accepts the provider's answer only with that binding, once, within the flow timeout, exchanges the code together
 * with the PKCE verifier, and checks the ID token's issuer, audience, expiry and nonce. The token the services are
 * then called with is the provider's access token: state-service verifies it (signature, issuer, audience) and maps
 * its groups to a role, exactly as for any other OIDC caller, so the dashboard grants nothing itself.
 *
 * <p>The ID token comes straight from the token endpoint over TLS, so its signature is not checked here (OpenID
 * Connect Core 3.1.3.7, item 6); that is why a non-loopback issuer must be {@code https}.
 */
@ApplicationScoped
public class OidcSignIn {

    /** The provider refused, the flow is stale or foreign, or the provider's answer does not hold up. */
    public static final class Failed extends RuntimeException {
        public Failed(String message) {
            super(message);
        }
    }

    /** Where to send the browser, and the value for the cookie that binds the flow to it. */
    public record Started(URI authorize, String binding) {}

    private record Pending(String bindingHash, String nonce, String verifier, URI redirectUri, Instant startedAt) {}

    private record Endpoints(URI authorize, URI token, Instant fetchedAt) {}

    private static final Duration DISCOVERY_TTL = Duration.ofHours(1);
    private static final int MAX_PENDING = 10_000;

    @Inject
    DashboardConfig config;

    private final Clock clock = Clock.systemUTC();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private volatile Endpoints endpoints;

    public boolean enabled() {
        return config.oidc().issuer().isPresent();
    }

    /**
     * Opens a sign-in flow.
     *
     * @param redirectUri this dashboard's callback as the browser reaches it (used unless configuration names one)
     * @throws Failed when OIDC sign-in is not configured or the provider cannot be discovered
     */
    public Started start(URI redirectUri) {
        DashboardConfig.Oidc oidc = settings();
        URI callback = oidc.redirectUri().orElse(redirectUri);
        Instant now = clock.instant();
        sweep(now);
        String state = SessionStore.randomToken();
        String binding = SessionStore.randomToken();
        String nonce = SessionStore.randomToken();
        String verifier = SessionStore.randomToken(); // 43 characters of the unreserved set, as RFC 7636 asks
        pending.put(state, new Pending(SessionStore.sha256(binding), nonce, verifier, callback, now));
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", clientId(oidc));
        query.put("redirect_uri", callback.toString());
        query.put("scope", oidc.scopes());
        query.put("state", state);
        query.put("nonce", nonce);
        query.put("code_challenge", s256(verifier));
        query.put("code_challenge_method", "S256");
        URI authorize = endpoints().authorize();
        String separator = authorize.getRawQuery() == null ? "?" : "&";
        return new Started(URI.create(authorize + separator + form(query)), binding);
    }

    /**
     * Completes a flow with the provider's answer.
     *
     * @param binding the cookie value {@link #start} handed out, from the browser that comes back
     * @return the access token to open a session with
     * @throws Failed with a message for the user when anything does not hold up
     */
    public String finish(String state, String code, String binding) {
        DashboardConfig.Oidc oidc = settings();
        if (state == null || state.isBlank() || code == null || code.isBlank()) {
            throw new Failed("the identity provider sent no code or no state back; start the sign-in again");
        }
        Pending p = pending.remove(state); // one use, whatever happens next
        if (p == null) {
            throw new Failed("this sign-in is unknown or was already used; start the sign-in again");
        }
        if (binding == null
                || !MessageDigest.isEqual(
                        SessionStore.sha256(binding).getBytes(StandardCharsets.UTF_8),
                        p.bindingHash().getBytes(StandardCharsets.UTF_8))) {
            throw new Failed("this sign-in was not started in this browser; start the sign-in again here");
        }
        if (p.startedAt().plus(oidc.flowTimeout()).isBefore(clock.instant())) {
            throw new Failed("the sign-in took longer than "
                    + oidc.flowTimeout().toMinutes() + " minutes; start the sign-in again");
        }
        JsonNode tokens = exchange(oidc, code, p);
        String accessToken = tokens.path("access_token").asText("");
        String idToken = tokens.path("id_token").asText("");
        if (accessToken.isBlank()) {
            throw new Failed("the identity provider issued no access token");
        }
        if (idToken.isBlank()) {
            throw new Failed("the identity provider issued no ID token: is 'openid' among the scopes?");
        }
        checkIdToken(oidc, idToken, p.nonce());
        return accessToken;
    }

    private JsonNode exchange(DashboardConfig.Oidc oidc, String code, Pending p) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "authorization_code");
        body.put("code", code);
        body.put("redirect_uri", p.redirectUri().toString());
        body.put("code_verifier", p.verifier());
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoints().token())
                .timeout(config.upstreamTimeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        if (oidc.clientSecret().isPresent()) {
            // client_secret_basic: both parts form-encoded before they are joined (RFC 6749, 2.3.1)
            String credentials =
                    encode(clientId(oidc)) + ":" + encode(oidc.clientSecret().get());
            request.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        } else {
            body.put("client_id", clientId(oidc));
        }
        HttpResponse<String> answer;
        try {
            answer = http.send(
                    request.POST(HttpRequest.BodyPublishers.ofString(form(body)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failed("the identity provider's token endpoint cannot be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted while exchanging the code");
        }
        JsonNode json = readJson(answer.body(), "the token endpoint's answer");
        if (answer.statusCode() != 200) {
            throw new Failed("the identity provider refused the code (" + answer.statusCode() + " "
                    + json.path("error").asText("no error code") + ": "
                    + json.path("error_description").asText("no description") + ")");
        }
        return json;
    }

    private void checkIdToken(DashboardConfig.Oidc oidc, String idToken, String nonce) {
        String[] parts = idToken.split("\\.", -1);
        if (parts.length != 3) {
            throw new Failed("the ID token is not a JWT");
        }
        JsonNode claims;
        try {
            claims = readJson(
                    new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8), "the ID token");
        } catch (IllegalArgumentException e) {
            throw new Failed("the ID token's claims are not base64url");
        }
        String issuer = trimSlash(oidc.issuer().orElseThrow().toString());
        if (!issuer.equals(trimSlash(claims.path("iss").asText("")))) {
            throw new Failed("the ID token was issued by '" + claims.path("iss").asText("") + "', not by " + issuer);
        }
        JsonNode aud = claims.path("aud");
        boolean forUs =
                aud.isArray() ? contains(aud, clientId(oidc)) : aud.asText("").equals(clientId(oidc));
        if (!forUs) {
            throw new Failed("the ID token is not for this dashboard (audience " + aud + ")");
        }
        long exp = claims.path("exp").asLong(0);
        if (exp == 0 || Instant.ofEpochSecond(exp).plusSeconds(30).isBefore(clock.instant())) {
            throw new Failed("the ID token has expired or carries no expiry");
        }
        String sent = claims.path("nonce").asText("");
        if (!MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), nonce.getBytes(StandardCharsets.UTF_8))) {
            throw new Failed("the ID token does not answer this sign-in (nonce mismatch); start the sign-in again");
        }
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.asText())) {
                return true;
            }
        }
        return false;
    }

    /** The provider's endpoints from its discovery document, fetched once an hour. */
    private Endpoints endpoints() {
        Endpoints known = endpoints;
        Instant now = clock.instant();
        if (known != null && known.fetchedAt().plus(DISCOVERY_TTL).isAfter(now)) {
            return known;
        }
        String issuer = trimSlash(settings().issuer().orElseThrow().toString());
        URI discovery = URI.create(issuer + "/.well-known/openid-configuration");
        HttpResponse<String> answer;
        try {
            answer = http.send(
                    HttpRequest.newBuilder(discovery)
                            .timeout(config.upstreamTimeout())
                            .header("Accept", "application/json")
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failed("the identity provider cannot be reached at " + discovery + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted while reading the identity provider's configuration");
        }
        if (answer.statusCode() != 200) {
            throw new Failed("the identity provider answered " + answer.statusCode() + " at " + discovery);
        }
        JsonNode doc = readJson(answer.body(), "the identity provider's configuration");
        if (!issuer.equals(trimSlash(doc.path("issuer").asText("")))) {
            throw new Failed("the configuration at " + discovery + " names another issuer: '"
                    + doc.path("issuer").asText("") + "'");
        }
        Endpoints fresh = new Endpoints(
                endpoint(doc, "authorization_endpoint", discovery), endpoint(doc, "token_endpoint", discovery), now);
        endpoints = fresh;
        return fresh;
    }

    private static URI endpoint(JsonNode doc, String name, URI discovery) {
        String value = doc.path(name).asText("");
        try {
            URI uri = URI.create(value);
            requireTls(uri, name);
            return uri;
        } catch (IllegalArgumentException e) {
            throw new Failed("the configuration at " + discovery + " has no usable " + name + ": '" + value + "'");
        }
    }

    private DashboardConfig.Oidc settings() {
        DashboardConfig.Oidc oidc = config.oidc();
        URI issuer = oidc.issuer()
                .orElseThrow(() -> new Failed("sign-in with OIDC is not set up here: set LOOPLINE_DASHBOARD_OIDC_ISSUER"
                        + " and LOOPLINE_DASHBOARD_OIDC_CLIENT_ID, or sign in with an API token"));
        requireTls(issuer, "LOOPLINE_DASHBOARD_OIDC_ISSUER");
        clientId(oidc);
        return oidc;
    }

    private static String clientId(DashboardConfig.Oidc oidc) {
        return oidc.clientId()
                .filter(id -> !id.isBlank())
                .orElseThrow(() -> new Failed("LOOPLINE_DASHBOARD_OIDC_CLIENT_ID is not set: the identity provider"
                        + " needs to know which client signs in"));
    }

    /** Tokens travel over these URLs: plain HTTP only to this machine. */
    private static void requireTls(URI uri, String what) {
        String host = uri.getHost() == null ? "" : uri.getHost();
        boolean loopback = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
        if (!"https".equalsIgnoreCase(uri.getScheme()) && !(loopback && "http".equalsIgnoreCase(uri.getScheme()))) {
            throw new Failed(what + " must be an https URL (plain http only for localhost), was " + uri);
        }
    }

    private void sweep(Instant now) {
        Duration timeout = config.oidc().flowTimeout();
        pending.values().removeIf(p -> p.startedAt().plus(timeout).isBefore(now));
        if (pending.size() >= MAX_PENDING) {
            pending.clear(); // a flood of unfinished sign-ins: the honest ones simply start again
        }
    }

    private static JsonNode readJson(String body, String what) {
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new Failed(what + " is not JSON");
        }
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String form(Map<String, String> values) {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> {
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(encode(k)).append('=').append(encode(v));
        });
        return b.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
