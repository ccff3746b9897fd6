package dev.loopline.state;

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
 * A JDK HTTP server standing in for the budget webhook: {@code POST /hook} records the body (and answers 500 when
 * it mentions {@code fail-webhook}, 204 otherwise); {@code GET /received} answers every recorded body as a JSON
 * array. Tests read it over HTTP, so it does not matter which class loader started it.
 */
public class WebhookStub implements QuarkusTestResourceLifecycleManager {

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        List<String> received = new CopyOnWriteArrayList<>();
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(body);
            exchange.sendResponseHeaders(body.contains("fail-webhook") ? 500 : 204, -1);
            exchange.close();
        });
        server.createContext("/received", exchange -> {
            byte[] answer = ("[" + String.join(",", received) + "]").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return Map.of(
                "loopline.budget.webhook-url",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
