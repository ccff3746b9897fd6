package dev.loopline.testsupport.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.loopline.schemas.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A model API over real HTTP (JDK {@link HttpServer} on a random loopback port) that answers every request with the
 * next scripted {@link Reply} and records what it received. Replies are written in the provider's wire format by a
 * {@link Dialect}; when the script runs out it answers 500, which a test notices as an extra request.
 */
public final class ScriptedModelServer implements AutoCloseable {

    /** One scripted answer; {@code delay} is waited before answering (a slow provider). */
    public record Reply(int status, Map<String, String> headers, String body, Duration delay) {
        public static Reply ok(String body) {
            return new Reply(200, Map.of(), body, Duration.ZERO);
        }

        public static Reply status(int status, String body, Map<String, String> headers) {
            return new Reply(status, headers, body, Duration.ZERO);
        }

        public Reply delayedBy(Duration wait) {
            return new Reply(status, headers, body, wait);
        }
    }

    /** A request as the server saw it. */
    public record Received(String method, String path, Map<String, List<String>> headers, String body, long atNanos) {
        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }

        public JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new ArrayList<>();

    private ScriptedModelServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the scripted model server", e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static ScriptedModelServer start() {
        return new ScriptedModelServer();
    }

    /** {@code http://127.0.0.1:<port>}, no path. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public ScriptedModelServer then(Reply reply) {
        script.add(reply);
        return this;
    }

    public ScriptedModelServer then(String okBody) {
        return then(Reply.ok(okBody));
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            synchronized (received) {
                received.add(new Received(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(),
                        Map.copyOf(exchange.getRequestHeaders()),
                        body,
                        System.nanoTime()));
            }
            Reply reply = script.poll();
            if (reply == null) {
                reply = Reply.status(500, "{\"error\":{\"message\":\"the script has no more replies\"}}", Map.of());
            }
            if (!reply.delay().isZero()) {
                try {
                    Thread.sleep(reply.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            reply.headers()
                    .forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (IOException e) {
            // the client gave up (a timeout test): nothing to answer
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
