package dev.loopline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.loopline.schemas.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for one Loopline service on a random loopback port: records every request exactly as it arrived
 * and answers each with the status and body set last. The CLI is a client of one HTTP API; the services' own
 * tests cover the server side.
 */
final class StubApi implements AutoCloseable {

    record Request(String method, String path, String query, String authorization, String contentType, JsonNode body) {}

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private volatile int status = 200;
    private volatile String answer = "{}";
    private final java.util.Map<String, String> answersByPath = new java.util.concurrent.ConcurrentHashMap<>();

    StubApi() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getQuery(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    text.isBlank() ? null : Json.mapper().readTree(text)));
            byte[] bytes = answersByPath
                    .getOrDefault(exchange.getRequestURI().getPath(), answer)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders()
                    .add("Content-Type", status / 100 == 2 ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every following request is answered with this status and body. */
    /** Runs {@code verb} with this stub as the state-service, authenticated with {@code token}. */
    CliRun runAsState(String token, String... verb) {
        List<String> args = new ArrayList<>(List.of(verb));
        args.addAll(List.of("--state-url", url(), "--token", token));
        return CliRun.run("", args.toArray(String[]::new));
    }

    StubApi answer(int status, String body) {
        this.status = status;
        this.answer = body;
        return this;
    }

    /** Requests to {@code path} are answered with this body (and the status set last). */
    StubApi answer(String path, String body) {
        answersByPath.put(path, body);
        return this;
    }

    List<Request> requests() {
        return requests;
    }

    /** The one request the verb sent. */
    Request only() {
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
