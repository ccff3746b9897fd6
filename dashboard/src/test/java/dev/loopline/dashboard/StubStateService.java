package dev.loopline.dashboard;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for state-service in this module's unit tests of the proxy; the real flow through the real
 * state-service is covered by the end-to-end test in deploy/local.
 */
public class StubStateService implements QuarkusTestResourceLifecycleManager {

    static final List<String> AUTHORIZATIONS = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/v1/ticks", exchange -> {
            AUTHORIZATIONS.add(exchange.getRequestHeaders().getFirst("Authorization"));
            String path = exchange.getRequestURI().getPath();
            boolean known = path.equals("/api/v1/ticks") || path.equals("/api/v1/ticks/t-1");
            String body = path.equals("/api/v1/ticks")
                    ? "{\"items\":[{\"tickId\":\"t-1\",\"loopId\":\"docs\",\"outcome\":\"merged\"}],\"nextCursor\":null}"
                    : "{\"tickId\":\"t-1\",\"loopId\":\"docs\",\"timeline\":[]}";
            byte[] bytes = (known ? body : "{}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(known ? 200 : 404, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return Map.of(
                "quarkus.rest-client.state.url",
                "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
