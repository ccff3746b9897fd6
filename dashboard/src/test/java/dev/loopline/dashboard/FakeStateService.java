package dev.loopline.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.loopline.testsupport.oidc.OidcProviderStub;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A stand-in for state- and gate-service in this module's tests: it knows a few API tokens with roles (as state-service
 * issues them), refuses what their role may not do (as the services do), records every call's Authorization header,
 * and streams events the test pushes. The dashboard against the real services is tested in deploy/local.
 */
public class FakeStateService implements QuarkusTestResourceLifecycleManager {

    public static final String OPERATOR = "llt_operator-token";
    public static final String VIEWER = "llt_viewer-token";
    public static final String APPROVER = "llt_approver-token";

    /** A recorded call: method, path (with query), Authorization header, body, Last-Event-ID. */
    public record Call(String method, String path, String authorization, String body, String lastEventId) {}

    public static final List<Call> CALLS = new CopyOnWriteArrayList<>();
    /** token → {name, role}; remove one to revoke it. */
    public static final Map<String, String[]> TOKENS = new ConcurrentHashMap<>();

    private static final List<OutputStream> STREAMS = new CopyOnWriteArrayList<>();
    private HttpServer server;
    /**
     * The team's identity provider, its issuer at {@code /idp}. The access tokens it issues are made known here with
     * the role operator, as a real state-service accepts the provider's tokens.
     */
    public static OidcProviderStub idp;

    public static void reset() {
        if (idp != null) {
            idp.reset();
        }
        CALLS.clear();
        TOKENS.clear();
        TOKENS.put(OPERATOR, new String[] {"ops-alice", "operator"});
        TOKENS.put(VIEWER, new String[] {"view-bob", "viewer"});
        TOKENS.put(APPROVER, new String[] {"appr-carol", "approver"});
    }

    /** Sends one event to every open stream. */
    public static void push(long id, String data) {
        // one data line per line of the event, as a server-sent event carries several lines
        byte[] bytes = ("id: " + id + "\nevent: loopline.tick.triggered\ndata: " + data.replace("\n", "\ndata: ")
                        + "\n\n")
                .getBytes(StandardCharsets.UTF_8);
        for (OutputStream out : STREAMS) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                STREAMS.remove(out);
            }
        }
    }

    public static long streamsOpen() {
        return STREAMS.size();
    }

    public static List<Call> calls(String pathPrefix) {
        return CALLS.stream().filter(c -> c.path().startsWith(pathPrefix)).toList();
    }

    @Override
    public Map<String, String> start() {
        reset();
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        idp = new OidcProviderStub().path("/idp").start();
        idp.onIssue(issued ->
                TOKENS.put(issued.accessToken(), new String[] {issued.user().username(), "operator"}));
        return Map.of(
                "loopline.dashboard.state-url",
                url,
                "loopline.dashboard.gate-url",
                url,
                "loopline.dashboard.scheduler-url",
                url,
                "loopline.dashboard.oidc.issuer",
                idp.issuer(),
                "loopline.dashboard.oidc.client-id",
                OidcProviderStub.CLIENT_ID);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        String path = exchange.getRequestURI().toString();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        CALLS.add(new Call(
                exchange.getRequestMethod(),
                path,
                auth,
                body,
                exchange.getRequestHeaders().getFirst("Last-Event-ID")));
        String[] who = auth == null || !auth.startsWith("Bearer ") ? null : TOKENS.get(auth.substring(7));
        if (who == null) {
            answer(exchange, 401, "{\"status\":401,\"detail\":\"unknown token\"}");
            return;
        }
        String role = who[1];
        if (path.equals("/api/v1/auth/me")) {
            answer(exchange, 200, "{\"name\":\"" + who[0] + "\",\"role\":\"" + role + "\",\"team\":null}");
        } else if (path.equals("/api/v1/loops")) {
            // state-service's loop list, the one owner of this path
            answer(exchange, 200, "[{\"loopId\":\"docs\",\"schedule\":\"scheduler\"}]");
        } else if (path.equals("/api/v1/schedule")) {
            // scheduler-service's own view of its loops (the dashboard wants the invalid spec files)
            answer(exchange, 200, "[{\"id\":\"broken\",\"valid\":false,\"file\":\"broken.yaml\"}]");
        } else if (path.startsWith("/api/v1/ticks")) {
            answer(exchange, 200, "{\"items\":[{\"tickId\":\"t-1\",\"loopId\":\"docs\"}],\"nextCursor\":null}");
        } else if (path.startsWith("/api/v1/control/kill")) {
            if (role.equals("operator") || role.equals("admin")) {
                answer(
                        exchange,
                        200,
                        "{\"scope\":\"team\",\"id\":\"ops\",\"state\":\"killed\",\"by\":\"" + who[0] + "\"}");
            } else {
                answer(
                        exchange,
                        403,
                        "{\"type\":\"https://loopline.dev/problems/forbidden\",\"status\":403,\"detail\":\"'" + who[0]
                                + "' (role " + role + ") may not do this: it needs the operate permission\"}");
            }
        } else if (path.matches("/api/v1/approvals/[^/]+/approve")) {
            if (role.equals("approver")) {
                answer(exchange, 200, "{\"accepted\":true,\"message\":\"approved\"}");
            } else {
                answer(exchange, 403, "{\"status\":403,\"detail\":\"not an approver\"}");
            }
        } else if (path.equals("/api/v1/stream")) {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(": subscribed\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            STREAMS.add(out);
        } else {
            answer(exchange, 404, "{\"status\":404}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders()
                .add("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (idp != null) {
            idp.stop();
        }
    }
}
