package dev.loopline.gate.messaging;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Stands in for state-service's {@code GET /api/v1/auth/me}: answers for a few issued tokens (approvers of team
 * {@code platform}, a viewer), as state-service would, and points {@code loopline.auth.state-url} at itself.
 */
public class AuthStubTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String ALICE = "llt_alice_approver";
    public static final String BOB = "llt_bob_approver";
    public static final String TESS = "llt_tess_approver";
    public static final String VIEWER = "llt_vic_viewer";

    private static final Map<String, String> CALLERS = Map.of(
            ALICE, "{\"name\":\"alice\",\"role\":\"approver\",\"team\":\"platform\"}",
            BOB, "{\"name\":\"bob\",\"role\":\"approver\",\"team\":\"platform\"}",
            TESS, "{\"name\":\"tess\",\"role\":\"approver\",\"team\":\"platform\"}",
            VIEWER, "{\"name\":\"vic\",\"role\":\"viewer\"}");

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/v1/auth/me", exchange -> {
            String header = exchange.getRequestHeaders().getFirst("Authorization");
            String caller = header == null || !header.startsWith("Bearer ") ? null : CALLERS.get(header.substring(7));
            byte[] out = (caller == null ? "{\"status\":401}" : caller).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(caller == null ? 401 : 200, out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        });
        server.start();
        return Map.of(
                "loopline.auth.state-url",
                "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
