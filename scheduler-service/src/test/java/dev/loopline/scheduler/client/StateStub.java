package dev.loopline.scheduler.client;

import com.sun.net.httpserver.HttpServer;
import dev.loopline.schemas.control.ControlSnapshot;
import dev.loopline.schemas.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for state-service's {@code GET /api/v1/control/snapshot} on a random local port, for the scheduler's
 * tests of its admission check (the real state-service answers in deploy/local's LocalStackIT). Tests set what it
 * serves: a snapshot, a status code, or a body that is not a snapshot. It checks the bearer token like the real one.
 */
public final class StateStub implements AutoCloseable {

    private final HttpServer server;
    private final String token;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int status = 200;
    private volatile String body;
    private final java.util.Map<String, String> callers = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger meRequests = new AtomicInteger();

    public StateStub(String token) {
        this.token = token;
        serve(new ControlSnapshot(Instant.now(), List.of(), List.of()));
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext(StateAdmission.SNAPSHOT_PATH, exchange -> {
            requests.incrementAndGet();
            boolean authorized =
                    ("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"));
            int code = authorized ? status : 401;
            byte[] out = (code == 200 ? body : "{\"status\":" + code + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(code, out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        });
        server.createContext("/api/v1/auth/me", exchange -> {
            meRequests.incrementAndGet();
            String header = exchange.getRequestHeaders().getFirst("Authorization");
            String caller = header == null || !header.startsWith("Bearer ") ? null : callers.get(header.substring(7));
            int code = caller == null ? 401 : 200;
            byte[] out = (caller == null ? "{\"status\":401}" : caller).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(code, out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        });
        server.start();
    }

    /** Answers {@code GET /api/v1/auth/me} for {@code bearer} with this caller, as state-service would for an issued token. */
    public void issue(String bearer, String name, String role) {
        callers.put(bearer, "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}");
    }

    /** How often {@code /api/v1/auth/me} was asked. */
    public int callerLookups() {
        return meRequests.get();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public String token() {
        return token;
    }

    /** Serves this snapshot with 200 from now on. */
    public void serve(ControlSnapshot snapshot) {
        try {
            body = Json.mapper().writeValueAsString(snapshot);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        status = 200;
    }

    /** Serves this body with 200 from now on. */
    public void serveRaw(String json) {
        body = json;
        status = 200;
    }

    /** Answers every request with this status from now on. */
    public void failWith(int code) {
        status = code;
    }

    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
