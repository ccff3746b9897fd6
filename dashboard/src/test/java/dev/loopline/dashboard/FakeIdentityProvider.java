package dev.loopline.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A team's OpenID Connect provider as the dashboard meets it: discovery, an authorize endpoint that signs in one user
 * at once (as a provider does for a browser that has a session there), and a token endpoint that enforces what real
 * providers enforce — a code is used once, by the client it was issued to, with the same redirect URI, and only with
 * the PKCE verifier whose S256 challenge came with the authorize request. The access tokens it issues are made known
 * to the fake state-service, as a real state-service would accept the provider's tokens.
 */
public class FakeIdentityProvider implements HttpHandler {

    public static final String CLIENT_ID = "loopline-dashboard";
    public static final String USER = "sso-dana";

    /** What the authorize request asked for, kept until the code is exchanged. */
    public record Grant(String clientId, String redirectUri, String challenge, String method, String nonce) {}

    private final String issuer;
    private final Map<String, String[]> stateTokens;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();

    /** The last authorize request's query parameters. */
    public volatile Map<String, String> lastAuthorize = Map.of();
    /** When set, ID tokens carry this nonce instead of the one asked for (a replayed or injected token). */
    public volatile String forcedNonce;
    /** When set, ID tokens name this audience instead of the client. */
    public volatile String forcedAudience;

    FakeIdentityProvider(String issuer, Map<String, String[]> stateTokens) {
        this.issuer = issuer;
        this.stateTokens = stateTokens;
    }

    void reset() {
        codes.clear();
        lastAuthorize = Map.of();
        forcedNonce = null;
        forcedAudience = null;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.endsWith("/.well-known/openid-configuration")) {
            json(
                    exchange,
                    200,
                    "{\"issuer\":\"" + issuer + "\",\"authorization_endpoint\":\"" + issuer
                            + "/authorize\",\"token_endpoint\":\"" + issuer + "/token\"}");
        } else if (path.endsWith("/authorize")) {
            authorize(exchange);
        } else if (path.endsWith("/token") && exchange.getRequestMethod().equals("POST")) {
            token(exchange);
        } else {
            json(exchange, 404, "{\"error\":\"not_found\"}");
        }
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> q = params(exchange.getRequestURI().getRawQuery());
        lastAuthorize = Map.copyOf(q);
        String code = UUID.randomUUID().toString();
        codes.put(
                code,
                new Grant(
                        q.get("client_id"),
                        q.get("redirect_uri"),
                        q.get("code_challenge"),
                        q.get("code_challenge_method"),
                        q.get("nonce")));
        exchange.getResponseHeaders()
                .add("Location", q.get("redirect_uri") + "?code=" + code + "&state=" + q.get("state"));
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = params(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Grant grant = codes.remove(form.getOrDefault("code", ""));
        String refusal = null;
        if (!"authorization_code".equals(form.get("grant_type"))) {
            refusal = "unsupported grant_type";
        } else if (grant == null) {
            refusal = "unknown or used code";
        } else if (!CLIENT_ID.equals(form.get("client_id")) || !CLIENT_ID.equals(grant.clientId())) {
            refusal = "code issued to another client";
        } else if (!grant.redirectUri().equals(form.get("redirect_uri"))) {
            refusal = "redirect_uri differs from the authorize request's";
        } else if (!"S256".equals(grant.method())
                || form.get("code_verifier") == null
                || !s256(form.get("code_verifier")).equals(grant.challenge())) {
            refusal = "PKCE verification failed";
        }
        if (refusal != null) {
            json(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"" + refusal + "\"}");
            return;
        }
        String access = "sso_" + UUID.randomUUID();
        stateTokens.put(access, new String[] {USER, "operator"});
        long exp = Instant.now().plusSeconds(300).getEpochSecond();
        String nonce = forcedNonce != null ? forcedNonce : grant.nonce();
        String aud = forcedAudience != null ? forcedAudience : CLIENT_ID;
        String claims = "{\"iss\":\"" + issuer + "\",\"sub\":\"u-1\",\"aud\":\"" + aud + "\",\"exp\":" + exp
                + ",\"nonce\":\"" + nonce + "\",\"name\":\"Dana\"}";
        String idToken = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + b64(claims) + ".c2lnbmF0dXJl";
        json(
                exchange,
                200,
                "{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\",\"expires_in\":300,\"id_token\":\""
                        + idToken + "\"}");
    }

    private static Map<String, String> params(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(
                            MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
