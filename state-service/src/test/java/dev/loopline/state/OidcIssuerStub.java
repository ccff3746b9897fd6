package dev.loopline.state;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.loopline.testsupport.oidc.OidcProviderStub;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The shared test identity provider ({@link OidcProviderStub}) as this module's Quarkus test resource: it hands
 * {@code loopline.auth.oidc.issuer} / {@code .audience} to the application.
 *
 * <p>Tests steer the provider over a second server (the application under test may be loaded by another class
 * loader), whose URL is {@value #CONTROL_URL_PROPERTY}: {@code GET /signing-key} answers the newest private key as a
 * JWK, {@code POST /rotate} publishes a new key with a new {@code kid} and answers it, {@code POST /issuer/stop} and
 * {@code /issuer/start} take the provider down and bring it back on the same port.
 */
public class OidcIssuerStub implements QuarkusTestResourceLifecycleManager {

    public static final String AUDIENCE = "loopline-state-test";
    public static final String CONTROL_URL_PROPERTY = "loopline.test.oidc.control-url";

    private final OidcProviderStub provider = new OidcProviderStub().audience(AUDIENCE);
    private HttpServer controlServer;

    @Override
    public Map<String, String> start() {
        provider.start();
        try {
            controlServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        controlServer.createContext("/signing-key", exchange -> answer(exchange, provider.signingKey()));
        controlServer.createContext("/rotate", exchange -> answer(exchange, provider.rotate()));
        controlServer.createContext("/issuer/stop", exchange -> {
            provider.stop();
            answer(exchange, "{}");
        });
        controlServer.createContext("/issuer/start", exchange -> {
            provider.start();
            answer(exchange, "{}");
        });
        controlServer.start();
        return Map.of(
                "loopline.auth.oidc.issuer",
                provider.issuer(),
                "loopline.auth.oidc.audience",
                AUDIENCE,
                CONTROL_URL_PROPERTY,
                "http://127.0.0.1:" + controlServer.getAddress().getPort());
    }

    @Override
    public void stop() {
        provider.stop();
        if (controlServer != null) {
            controlServer.stop(0);
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
