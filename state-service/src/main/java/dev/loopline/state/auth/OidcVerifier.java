package dev.loopline.state.auth;

import dev.loopline.core.auth.Caller;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jose4j.http.Get;
import org.jose4j.http.SimpleResponse;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Verifies bearer JWTs of one OpenID Connect issuer: signature against the issuer's key set (asymmetric algorithms
 * only), {@code iss}, {@code aud}, {@code exp} (required) with a little clock skew, then maps the roles claim to a
 * {@link Caller}. The key set is cached and fetched again when a token names a key it does not hold (rotation); its
 * URL comes from the configuration or, once, from the issuer's discovery document.
 *
 * <p>Blocking (HTTP): call it on a worker thread. Thread-safe. Never throws: every failure is an {@link Outcome}, and
 * no outcome carries the token or any part of it.
 */
public final class OidcVerifier {

    /** Every algorithm accepted: asymmetric signatures only, so never {@code none} and never an HMAC. */
    static final String[] ALGORITHMS = {
        AlgorithmIdentifiers.RSA_USING_SHA256,
        AlgorithmIdentifiers.RSA_USING_SHA384,
        AlgorithmIdentifiers.RSA_USING_SHA512,
        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
        AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
        AlgorithmIdentifiers.RSA_PSS_USING_SHA256
    };

    private static final Set<String> ACCEPTED = Set.of(ALGORITHMS);

    /** {@code Caller.name} is stored as an actor / creator (at most 100 characters). */
    private static final int MAX_NAME_LENGTH = 100;

    public static final String NAME_PREFIX = "oidc:";
    static final String DISCOVERY_PATH = "/.well-known/openid-configuration";

    /** What the verifier needs; {@code jwksUrl} empty = discover it. */
    public record Settings(
            String issuer,
            String audience,
            Optional<String> jwksUrl,
            String rolesClaim,
            Duration clockSkew,
            Duration fetchTimeout,
            OidcRoleMapping mapping) {}

    /** The verdict on one token. */
    public sealed interface Outcome {}

    /** Valid and mapped to a Loopline role. */
    public record Authenticated(Caller caller) implements Outcome {}

    /** Valid, but its roles claim holds no Loopline group: the caller is known and may do nothing (403). */
    public record NoLooplineGroup(String callerName, String rolesClaim, String expected) implements Outcome {}

    /** Not a token of this issuer for this audience, expired, badly signed... (401); {@code reason} is for the caller. */
    public record Refused(String reason) implements Outcome {}

    /** The issuer's discovery document or key set could not be fetched (401, fail closed); {@code cause} is for logs. */
    public record KeysUnavailable(String cause) implements Outcome {}

    private final Settings settings;
    private volatile JwtConsumer consumer;

    public OidcVerifier(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Whether a bearer value has the shape of a compact JWS: three dot-separated base64url parts (the signature part
     * may be empty, as in an {@code alg: none} token, which is then refused rather than looked up as an API token).
     * A character scan: this runs for every request.
     */
    public static boolean looksLikeJwt(String token) {
        if (token == null) {
            return false;
        }
        int dots = 0;
        int partLength = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                if (partLength == 0) {
                    return false;
                }
                dots++;
                partLength = 0;
            } else if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_') {
                partLength++;
            } else {
                return false;
            }
        }
        return dots == 2;
    }

    public Outcome verify(String token) {
        JwtConsumer jwtConsumer;
        try {
            jwtConsumer = consumer();
        } catch (IOException | JoseException | RuntimeException e) {
            return new KeysUnavailable(describe(e));
        }
        try {
            return authorise(jwtConsumer.processToClaims(token));
        } catch (InvalidJwtException e) {
            Throwable fetchFailure = fetchFailure(e);
            if (fetchFailure != null) {
                return new KeysUnavailable(describe(fetchFailure));
            }
            return new Refused(reason(e));
        } catch (RuntimeException e) {
            return new Refused("it could not be processed as a signed JWT");
        }
    }

    private Outcome authorise(JwtClaims claims) {
        String name = callerName(claims);
        if (name == null) {
            return new Refused("its 'sub' is missing, longer than " + (MAX_NAME_LENGTH - NAME_PREFIX.length())
                    + " characters or not printable");
        }
        return settings.mapping()
                .grant(claim(claims, settings.rolesClaim()))
                .<Outcome>map(g -> new Authenticated(new Caller(name, g.role(), g.team(), false)))
                .orElseGet(() -> new NoLooplineGroup(
                        name, settings.rolesClaim(), settings.mapping().describe()));
    }

    /** {@code oidc:<preferred_username>}, else {@code oidc:<sub>}; null when neither fits. */
    static String callerName(JwtClaims claims) {
        Object preferred = claims.getClaimValue("preferred_username");
        if (preferred instanceof String s && usable(s)) {
            return NAME_PREFIX + s;
        }
        Object sub = claims.getClaimValue("sub");
        if (sub instanceof String s && usable(s)) {
            return NAME_PREFIX + s;
        }
        return null;
    }

    private static boolean usable(String s) {
        if (s.isBlank() || s.length() > MAX_NAME_LENGTH - NAME_PREFIX.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The claim by its full name, else (a name with dots) followed as a path through nested objects. */
    static Object claim(JwtClaims claims, String name) {
        Object value = claims.getClaimValue(name);
        if (value != null || name.indexOf('.') < 0) {
            return value;
        }
        Object current = claims.getClaimsMap();
        int start = 0;
        while (current instanceof Map<?, ?> map) {
            int dot = name.indexOf('.', start);
            String part = dot < 0 ? name.substring(start) : name.substring(start, dot);
            current = map.get(part);
            if (dot < 0) {
                return current;
            }
            start = dot + 1;
        }
        return null;
    }

    private JwtConsumer consumer() throws IOException, JoseException {
        JwtConsumer c = consumer;
        if (c != null) {
            return c;
        }
        synchronized (this) {
            if (consumer == null) {
                String jwksUrl =
                        settings.jwksUrl().isPresent() ? settings.jwksUrl().get() : discoverJwksUrl();
                HttpsJwks keys = new HttpsJwks(jwksUrl);
                keys.setSimpleHttpGet(httpGet());
                consumer = new JwtConsumerBuilder()
                        .setExpectedIssuer(true, settings.issuer())
                        .setExpectedAudience(true, settings.audience())
                        .setRequireExpirationTime()
                        .setAllowedClockSkewInSeconds((int) settings.clockSkew().toSeconds())
                        .setJwsAlgorithmConstraints(
                                new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, ALGORITHMS))
                        .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(keys))
                        .build();
            }
            return consumer;
        }
    }

    /** {@code jwks_uri} of the issuer's discovery document; a failure is not remembered, the next token tries again. */
    private String discoverJwksUrl() throws IOException, JoseException {
        String issuer = settings.issuer();
        String url = (issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer) + DISCOVERY_PATH;
        SimpleResponse response = httpGet().get(url);
        if (response.getStatusCode() != 200) {
            throw new IOException("discovery document " + url + " answered HTTP " + response.getStatusCode());
        }
        Map<String, Object> document = JsonUtil.parseJson(response.getBody());
        if (!issuer.equals(document.get("issuer"))) {
            throw new IOException("discovery document " + url + " names issuer '" + document.get("issuer")
                    + "', not the configured '" + issuer + "'");
        }
        if (!(document.get("jwks_uri") instanceof String jwksUri) || jwksUri.isBlank()) {
            throw new IOException("discovery document " + url + " has no jwks_uri");
        }
        return jwksUri;
    }

    private Get httpGet() {
        Get get = new Get();
        int timeout = (int) settings.fetchTimeout().toMillis();
        get.setConnectTimeout(timeout);
        get.setReadTimeout(timeout);
        // one attempt: a retry would sleep on a worker thread while the request waits; the next token tries again
        get.setRetries(0);
        get.setResponseBodySizeLimit(1024 * 1024);
        return get;
    }

    /** The fetch failure behind a refusal, if the key set could not be had (as opposed to a key that is not in it). */
    private static Throwable fetchFailure(InvalidJwtException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof UnresolvableKeyException) {
                return t.getCause();
            }
        }
        return null;
    }

    /** Why, for the caller: which check failed, never a claim's value. */
    private static String reason(InvalidJwtException e) {
        if (!signedWithAnAcceptedAlgorithm(e.getJwtContext())) {
            return "it is not a JWT signed with one of " + String.join(", ", ALGORITHMS) + " by the issuer";
        }
        if (e.hasExpired()) {
            return "it has expired";
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
            return "it has no 'exp'";
        }
        if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
            return "it is not valid yet ('nbf')";
        }
        if (e.hasErrorCode(ErrorCodes.ISSUER_MISSING) || e.hasErrorCode(ErrorCodes.ISSUER_INVALID)) {
            return "it is not issued by the configured OIDC issuer";
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING) || e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID)) {
            return "its 'aud' does not name this API";
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
            return "its signature is invalid";
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof UnresolvableKeyException) {
                return "it is signed with a key the issuer does not publish";
            }
        }
        return "it is not a valid JWT of the issuer (its claims or structure are wrong)";
    }

    /** False for {@code none} and HMAC tokens, which jose4j may refuse for want of a key before naming the algorithm. */
    private static boolean signedWithAnAcceptedAlgorithm(JwtContext context) {
        if (context == null) {
            return true;
        }
        for (JsonWebStructure structure : context.getJoseObjects()) {
            if (!ACCEPTED.contains(structure.getAlgorithmHeaderValue())) {
                return false;
            }
        }
        return true;
    }

    /** A fetch failure for the log: exception types and messages (URLs, HTTP status), never token content. */
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String own = e.getClass().getSimpleName() + ": " + e.getMessage();
        return root == e ? own : own + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
}
