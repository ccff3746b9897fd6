package dev.loopline.state;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * An OpenID Connect issuer standing in for Keycloak or Dex: a JDK HTTP server on a random port serving
 * {@code /.well-known/openid-configuration} and {@code /jwks} (public RSA keys, and EC ones on request), and handing
 * {@code loopline.auth.oidc.issuer} / {@code .audience} to the application.
 *
 * <p>Tests steer it over a second server (the application under test may be loaded by another class loader), whose
 * URL is {@value #CONTROL_URL_PROPERTY}: {@code GET /signing-key} answers the newest private key as a JWK,
 * {@code POST /rotate} publishes a new key with a new {@code kid} and answers it, {@code POST /issuer/stop} and
 * {@code /issuer/start} take the issuer server down and bring it back on the same port.
 */
public class OidcIssuerStub implements QuarkusTestResourceLifecycleManager {

    public static final String AUDIENCE = "loopline-state-test";
    public static final String CONTROL_URL_PROPERTY = "loopline.test.oidc.control-url";

    private final List<PublicJsonWebKey> keys = new CopyOnWriteArrayList<>();
    private final AtomicInteger kids = new AtomicInteger();
    private HttpServer issuerServer;
    private HttpServer controlServer;
    private int issuerPort;

    @Override
    public Map<String, String> start() {
        rotate();
        startIssuer(0);
        try {
            controlServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        controlServer.createContext("/signing-key", exchange -> answer(exchange, signingKey()));
        controlServer.createContext("/rotate", exchange -> answer(exchange, rotate()));
        controlServer.createContext("/issuer/stop", exchange -> {
            stopIssuer();
            answer(exchange, "{}");
        });
        controlServer.createContext("/issuer/start", exchange -> {
            startIssuer(issuerPort);
            answer(exchange, "{}");
        });
        controlServer.start();
        return Map.of(
                "loopline.auth.oidc.issuer",
                issuer(),
                "loopline.auth.oidc.audience",
                AUDIENCE,
                CONTROL_URL_PROPERTY,
                "http://127.0.0.1:" + controlServer.getAddress().getPort());
    }

    @Override
    public void stop() {
        stopIssuer();
        if (controlServer != null) {
            controlServer.stop(0);
        }
    }

    public String issuer() {
        return "http://127.0.0.1:" + issuerPort;
    }

    /** The newest key, private part included, as JWK JSON. */
    public String signingKey() {
        return keys.get(keys.size() - 1).toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
    }

    /** Publishes a new key (the old ones stay published, as during a provider's rotation) and answers it. */
    public synchronized String rotate() {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId("key-" + kids.incrementAndGet());
            key.setAlgorithm("RS256");
            key.setUse("sig");
            keys.add(key);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
        return signingKey();
    }

    /** Publishes an EC P-256 key (for ES256, as some providers sign) next to the RSA ones and answers it. */
    public synchronized String addEcKey() {
        try {
            EllipticCurveJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            key.setKeyId("ec-key-" + kids.incrementAndGet());
            key.setAlgorithm("ES256");
            key.setUse("sig");
            keys.add(key);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
        return signingKey();
    }

    /** Starts the issuer server on {@code port} (0 = a free one); restarting binds the same port again. */
    public synchronized void startIssuer(int port) {
        if (issuerServer != null) {
            return;
        }
        try {
            issuerServer = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        issuerPort = issuerServer.getAddress().getPort();
        issuerServer.createContext(
                "/.well-known/openid-configuration",
                exchange -> answer(
                        exchange,
                        JsonUtil.toJson(Map.of(
                                "issuer", issuer(),
                                "jwks_uri", issuer() + "/jwks",
                                "id_token_signing_alg_values_supported", List.of("RS256")))));
        issuerServer.createContext(
                "/jwks",
                exchange -> answer(
                        exchange,
                        new JsonWebKeySet(List.<JsonWebKey>copyOf(keys))
                                .toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)));
        issuerServer.start();
    }

    public synchronized void stopIssuer() {
        if (issuerServer != null) {
            issuerServer.stop(0);
            issuerServer = null;
        }
    }

    private static void answer(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
