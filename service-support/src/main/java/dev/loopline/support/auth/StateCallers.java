package dev.loopline.support.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.core.auth.Caller;
import dev.loopline.core.auth.Role;
import dev.loopline.schemas.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who a bearer token belongs to, as state-service — which issues API tokens and verifies OIDC JWTs — says: {@code GET
 * /api/v1/auth/me} with the caller's own token. One place decides who is who, so an issued token or an OIDC login
 * works on every service with the same role. Answers are cached for {@code ttl} by the token's SHA-256 (never the
 * token itself), refusals for a tenth of it, so a revoked token stops working within {@code ttl}.
 */
public final class StateCallers {

    /** state-service could not be asked (down, slow, or an answer that is not one): the caller cannot be known. */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message);
        }
    }

    private record Cached(Optional<Caller> caller, Instant until) {}

    private static final int MAX_ENTRIES = 10_000;

    private final URI me;
    private final HttpClient http;
    private final Duration timeout;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public StateCallers(URI stateUrl, Duration timeout, Duration ttl, Clock clock) {
        this.me = stateUrl.resolve("/api/v1/auth/me");
        this.timeout = timeout;
        this.ttl = ttl;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /**
     * @return the caller, or empty when state-service refuses the token (401/403)
     * @throws Unavailable when state-service cannot answer
     */
    public Optional<Caller> resolve(String token) {
        String key = sha256(token);
        Instant now = clock.instant();
        Cached cached = cache.get(key);
        if (cached != null && now.isBefore(cached.until())) {
            return cached.caller();
        }
        Optional<Caller> caller = ask(token);
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(key, new Cached(caller, now.plus(caller.isPresent() ? ttl : ttl.dividedBy(10))));
        return caller;
    }

    private Optional<Caller> ask(String token) {
        HttpRequest request = HttpRequest.newBuilder(me)
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Unavailable("state-service at " + me + " cannot be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while asking state-service who the caller is");
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            return Optional.empty();
        }
        if (status != 200) {
            throw new Unavailable("state-service answered " + status + " to " + me);
        }
        return Optional.of(parse(response.body()));
    }

    static Caller parse(String body) {
        try {
            JsonNode node = Json.mapper().readTree(body);
            String name = node.path("name").asText(null);
            Role role = Role.fromWireName(node.path("role").asText(""))
                    .orElseThrow(() -> new Unavailable("state-service named an unknown role: " + node.path("role")));
            String team = node.hasNonNull("team") ? node.get("team").asText() : null;
            if (name == null || name.isBlank()) {
                throw new Unavailable("state-service's answer names no caller");
            }
            return new Caller(name, role, team, false);
        } catch (IOException e) {
            throw new Unavailable("state-service's answer is not JSON: " + e.getMessage());
        }
    }

    static String sha256(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
