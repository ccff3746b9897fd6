package dev.loopline.testsupport.oidc;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * A team's OpenID Connect provider standing in for Keycloak or Dex, for every test that needs one: a JDK HTTP server on
 * 127.0.0.1 (a free port) serving discovery ({@code <issuer>/.well-known/openid-configuration}), the key set
 * ({@code /jwks}: public RSA keys, and EC ones on request), an authorize endpoint and a token endpoint.
 *
 * <p>The authorize endpoint signs in {@link #signsIn one user} at once, as a provider does for a browser that already
 * has a session there, and redirects back with a one-time code. It answers an unknown client or an unregistered
 * redirect URI with an error page, never a redirect. The token endpoint enforces what real providers enforce: a code
 * is used once, by the client it was issued to, with the same redirect URI, and only with the PKCE verifier whose S256
 * challenge came with the authorize request. It issues an RS256-signed JWT access token for the API audience (the
 * user's groups in {@code groups}) and an RS256-signed ID token for the client.
 *
 * <p>{@link #stop()} takes the server down and {@link #start()} brings it back on the same port with the same keys
 * (an outage of the provider).
 */
public final class OidcProviderStub implements AutoCloseable {

    /** The client id the provider knows unless {@link #client} names another. */
    public static final String CLIENT_ID = "loopline-dashboard";

    /** The audience of access tokens unless {@link #audience} names another. */
    public static final String AUDIENCE = "loopline-api";

    /** A user of the provider: {@code sub}, {@code preferred_username}, {@code name}, and groups (null: no claim). */
    public record User(String subject, String username, String name, List<String> groups) {
        public User {
            Objects.requireNonNull(subject);
            Objects.requireNonNull(username);
            groups = groups == null ? null : List.copyOf(groups);
        }

        /** {@code sub-<username>}, named by the username. */
        public static User of(String username, List<String> groups) {
            return new User("sub-" + username, username, username, groups);
        }
    }

    /** Who the authorize endpoint signs in until {@link #signsIn} says otherwise. */
    public static final User DEFAULT_USER = new User("u-1", "sso-dana", "Dana", List.of("loopline-operator"));

    /** The tokens of one successful code exchange. */
    public record Issued(String accessToken, String idToken, User user) {}

    /** What the authorize request asked for, kept until the code is exchanged. */
    private record Grant(
            String clientId, String redirectUri, String challenge, String method, String nonce, User user) {}

    private final List<PublicJsonWebKey> keys = new CopyOnWriteArrayList<>();
    private final AtomicInteger kids = new AtomicInteger();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final List<Consumer<Issued>> listeners = new CopyOnWriteArrayList<>();

    private String path = "";
    private volatile String clientId = CLIENT_ID;
    private volatile String clientSecret;
    private volatile Set<String> redirectUris = Set.of();
    private volatile String audience = AUDIENCE;

    private volatile User user = DEFAULT_USER;
    private volatile Map<String, String> lastAuthorize = Map.of();
    private volatile Issued lastIssued;
    private volatile String forcedNonce;
    private volatile String forcedAudience;

    private HttpServer server;
    private int port;

    /** The issuer is {@code http://127.0.0.1:<port><path>} (Keycloak's realms are paths); set before {@link #start}. */
    public OidcProviderStub path(String path) {
        this.path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return this;
    }

    /**
     * The one client the provider knows, and its registered redirect URIs (exact match, as providers compare them;
     * none: any redirect URI is accepted, for a client whose address a test does not know beforehand).
     */
    public OidcProviderStub client(String id, String... redirectUris) {
        this.clientId = id;
        this.redirectUris = Set.of(redirectUris);
        return this;
    }

    /** A confidential client: the token endpoint then wants {@code client_secret_basic}. */
    public OidcProviderStub clientSecret(String secret) {
        this.clientSecret = secret;
        return this;
    }

    /** The {@code aud} of the access tokens it issues (the API's audience). */
    public OidcProviderStub audience(String audience) {
        this.audience = audience;
        return this;
    }

    /** Starts the server on a free port, or on its port again after {@link #stop()}; the first key is made here. */
    public synchronized OidcProviderStub start() {
        if (server != null) {
            return this;
        }
        if (keys.isEmpty()) {
            rotate();
        }
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        port = server.getAddress().getPort();
        server.createContext(path.isEmpty() ? "/" : path, this::handle);
        server.start();
        return this;
    }

    /** Takes the server down; {@link #start()} brings it back on the same port. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public String issuer() {
        if (port == 0) {
            throw new IllegalStateException("start the provider first");
        }
        return "http://127.0.0.1:" + port + path;
    }

    public String clientId() {
        return clientId;
    }

    public String audience() {
        return audience;
    }

    /** From now on the authorize endpoint signs in {@code user}. */
    public void signsIn(User user) {
        this.user = Objects.requireNonNull(user);
    }

    /** Called with the tokens of every code exchange before they are answered (a fake API learns them this way). */
    public void onIssue(Consumer<Issued> listener) {
        listeners.add(listener);
    }

    /** The query parameters of the last authorize request; empty before the first. */
    public Map<String, String> lastAuthorize() {
        return lastAuthorize;
    }

    /** The tokens of the last code exchange; null before the first. */
    public Issued lastIssued() {
        return lastIssued;
    }

    /** ID tokens carry this nonce instead of the one asked for (a replayed or injected token); null: the real one. */
    public void forceIdTokenNonce(String nonce) {
        this.forcedNonce = nonce;
    }

    /** ID tokens name this audience instead of the client; null: the client. */
    public void forceIdTokenAudience(String audience) {
        this.forcedAudience = audience;
    }

    /** Forgets codes and what was asked, signs in {@link #DEFAULT_USER} again, and stops forcing ID token claims. */
    public void reset() {
        codes.clear();
        lastAuthorize = Map.of();
        lastIssued = null;
        forcedNonce = null;
        forcedAudience = null;
        user = DEFAULT_USER;
    }

    /** The newest key, private part included, as JWK JSON. */
    public String signingKey() {
        return keys.get(keys.size() - 1).toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
    }

    /** Publishes a new RSA key (the old ones stay published, as during a provider's rotation) and answers it. */
    public String rotate() {
        return publish(() -> RsaJwkGenerator.generateJwk(2048), "key-", AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    /** Publishes an EC P-256 key (for ES256, as some providers sign) next to the RSA ones and answers it. */
    public String addEcKey() {
        return publish(
                () -> EcJwkGenerator.generateJwk(EllipticCurves.P256),
                "ec-key-",
                AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
    }

    private interface KeyGenerator {
        PublicJsonWebKey generate() throws JoseException;
    }

    private synchronized String publish(KeyGenerator generator, String kidPrefix, String algorithm) {
        try {
            PublicJsonWebKey key = generator.generate();
            key.setKeyId(kidPrefix + kids.incrementAndGet());
            key.setAlgorithm(algorithm);
            key.setUse("sig");
            keys.add(key);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
        return signingKey();
    }

    /** An access token for {@code user} as the token endpoint issues it, signed with the newest RSA key. */
    public String accessToken(User user) {
        JwtClaims claims = accessTokenClaims(issuer(), List.of(audience), user);
        claims.setClaim("azp", clientId);
        claims.setClaim("scope", "openid profile email");
        return sign(claims);
    }

    /**
     * Claims of an access token as Keycloak shapes one: {@code iss}, {@code aud}, {@code sub}, {@code
     * preferred_username}, the groups (when not null), issued now, five minutes to live.
     */
    public static JwtClaims accessTokenClaims(String issuer, List<String> audiences, User user) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audiences);
        claims.setSubject(user.subject());
        claims.setClaim("preferred_username", user.username());
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(5);
        if (user.groups() != null) {
            claims.setStringListClaim("groups", user.groups());
        }
        return claims;
    }

    /**
     * A compact JWS of {@code claims}, with any algorithm (also {@code none} and HMAC, for tests of what a verifier
     * must refuse).
     */
    public static String sign(JwtClaims claims, Key key, String kid, String algorithm) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setKeyIdHeaderValue(kid);
        jws.setAlgorithmHeaderValue(algorithm);
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code claims} signed as the provider signs its tokens: RS256 with its newest RSA key. */
    public String sign(JwtClaims claims) {
        PublicJsonWebKey key = null;
        for (PublicJsonWebKey k : keys) {
            if (k instanceof RsaJsonWebKey) {
                key = k;
            }
        }
        return sign(claims, key.getPrivateKey(), key.getKeyId(), AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String route = exchange.getRequestURI().getPath().substring(path.length());
        switch (route) {
            case "/.well-known/openid-configuration" -> json(exchange, 200, discovery());
            case "/jwks" -> json(
                    exchange,
                    200,
                    new JsonWebKeySet(List.<JsonWebKey>copyOf(keys)).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
            case "/authorize" -> authorize(exchange);
            case "/token" -> {
                if (exchange.getRequestMethod().equals("POST")) {
                    token(exchange);
                } else {
                    json(exchange, 405, "{\"error\":\"invalid_request\"}");
                }
            }
            default -> json(exchange, 404, "{\"error\":\"not_found\"}");
        }
    }

    private String discovery() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", issuer());
        doc.put("authorization_endpoint", issuer() + "/authorize");
        doc.put("token_endpoint", issuer() + "/token");
        doc.put("jwks_uri", issuer() + "/jwks");
        doc.put("response_types_supported", List.of("code"));
        doc.put("grant_types_supported", List.of("authorization_code"));
        doc.put("code_challenge_methods_supported", List.of("S256"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        doc.put(
                "token_endpoint_auth_methods_supported",
                clientSecret == null ? List.of("none") : List.of("client_secret_basic"));
        return JsonUtil.toJson(doc);
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> q = params(exchange.getRequestURI().getRawQuery());
        lastAuthorize = Map.copyOf(q);
        String redirectUri = q.get("redirect_uri");
        // a provider never redirects to an address it cannot vouch for: it shows the user an error instead
        if (!clientId.equals(q.get("client_id"))) {
            page(exchange, 400, "Unknown client: " + q.get("client_id"));
            return;
        }
        if (redirectUri == null || !(redirectUris.isEmpty() || redirectUris.contains(redirectUri))) {
            page(exchange, 400, "Invalid redirect_uri for client " + clientId + ": " + redirectUri);
            return;
        }
        Map<String, String> answer = new LinkedHashMap<>();
        if (!"code".equals(q.get("response_type"))) {
            answer.put("error", "unsupported_response_type");
        } else if (q.get("code_challenge") == null || !"S256".equals(q.get("code_challenge_method"))) {
            answer.put("error", "invalid_request");
            answer.put("error_description", "PKCE with code_challenge_method S256 is required");
        } else {
            String code = UUID.randomUUID().toString();
            codes.put(
                    code,
                    new Grant(
                            clientId,
                            redirectUri,
                            q.get("code_challenge"),
                            q.get("code_challenge_method"),
                            q.get("nonce"),
                            user));
            answer.put("code", code);
        }
        if (q.get("state") != null) {
            answer.put("state", q.get("state"));
        }
        exchange.getResponseHeaders()
                .add("Location", redirectUri + (redirectUri.contains("?") ? "&" : "?") + form(answer));
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = params(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Grant grant = codes.remove(form.getOrDefault("code", "")); // one use, whatever happens next
        String client = authenticatedClient(exchange, form);
        String refusal = null;
        if (!"authorization_code".equals(form.get("grant_type"))) {
            refusal = "unsupported grant_type";
        } else if (grant == null) {
            refusal = "unknown or used code";
        } else if (client == null) {
            refusal = "client authentication failed";
        } else if (!client.equals(grant.clientId())) {
            refusal = "code issued to another client";
        } else if (!grant.redirectUri().equals(form.get("redirect_uri"))) {
            refusal = "redirect_uri differs from the authorize request's";
        } else if (!"S256".equals(grant.method())
                || form.get("code_verifier") == null
                || !s256(form.get("code_verifier")).equals(grant.challenge())) {
            refusal = "PKCE verification failed";
        }
        if (refusal != null) {
            json(exchange, 400, JsonUtil.toJson(Map.of("error", "invalid_grant", "error_description", refusal)));
            return;
        }
        Issued issued = new Issued(accessToken(grant.user()), idToken(grant), grant.user());
        lastIssued = issued;
        listeners.forEach(l -> l.accept(issued));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", issued.accessToken());
        answer.put("token_type", "Bearer");
        answer.put("expires_in", 300);
        answer.put("id_token", issued.idToken());
        answer.put("scope", "openid profile email");
        json(exchange, 200, JsonUtil.toJson(answer));
    }

    /** The client of a token request: HTTP Basic for a confidential client, {@code client_id} for a public one. */
    private String authenticatedClient(HttpExchange exchange, Map<String, String> form) {
        if (clientSecret == null) {
            return form.get("client_id");
        }
        String basic = exchange.getRequestHeaders().getFirst("Authorization");
        if (basic == null || !basic.startsWith("Basic ")) {
            return null;
        }
        String credentials = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8);
        int colon = credentials.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String id = URLDecoder.decode(credentials.substring(0, colon), StandardCharsets.UTF_8);
        String secret = URLDecoder.decode(credentials.substring(colon + 1), StandardCharsets.UTF_8);
        return MessageDigest.isEqual(
                        secret.getBytes(StandardCharsets.UTF_8), clientSecret.getBytes(StandardCharsets.UTF_8))
                ? id
                : null;
    }

    private String idToken(Grant grant) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer());
        claims.setAudience(forcedAudience != null ? forcedAudience : grant.clientId());
        claims.setSubject(grant.user().subject());
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(5);
        claims.setClaim("nonce", forcedNonce != null ? forcedNonce : grant.nonce());
        claims.setClaim("preferred_username", grant.user().username());
        claims.setClaim("name", grant.user().name());
        return sign(claims);
    }

    /** The PKCE S256 challenge of a verifier (RFC 7636, 4.2). */
    public static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(
                            MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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

    private static String form(Map<String, String> values) {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> {
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return b.toString();
    }

    private static void page(HttpExchange exchange, int status, String text) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", text);
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "application/json", body);
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
