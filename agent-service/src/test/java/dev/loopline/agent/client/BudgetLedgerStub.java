package dev.loopline.agent.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.loopline.schemas.json.Json;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * A stand-in for state-service's three budget-ledger endpoints over real HTTP, recording every request. The ledger
 * itself (atomic holds, caps, expiry) is tested in state-service; this stub tests what the agent sends and how it
 * reacts. Answers by the loop scope of a reservation:
 *
 * <ul>
 *   <li>a loop id starting {@value #EXHAUSTED} → 409 budget-exhausted naming that loop, resetting at {@link
 *       #RESETS_AT};
 *   <li>a loop id starting {@value #KILLED} → 409 scope-killed naming that loop;
 *   <li>a loop id starting {@value #ONE_HOLD} → the first reservation (key) granted, every other one 409
 *       budget-exhausted, as a cap that one hold reaches;
 *   <li>a loop id starting {@value #BROKEN} → 503;
 *   <li>a repeated {@code idempotencyKey} → 200 with the id granted first and {@code replayed: true} (as the ledger);
 *   <li>otherwise 201 with a fresh reservation id.
 * </ul>
 *
 * A settlement of a reservation that was settled before charges nothing again (as the ledger does for a keyed hold);
 * each recorded settlement carries {@code charged}, the tokens the stub newly charged for it.
 *
 * A request without {@code Authorization: Bearer }{@value #TOKEN} gets 401. {@code GET /stub/requests} answers the
 * recorded requests as JSON ({@code method}, {@code path}, {@code authorization}, {@code body}, and for a granted
 * reservation {@code reservationId}) — over HTTP, so a test reads them whatever class loader it runs in.
 *
 * <p>As a Quarkus test resource (for every agent test: {@code restrictToAnnotatedClass = false}) it points {@code
 * loopline.agent.state.url} and {@code .token} at itself.
 */
public class BudgetLedgerStub implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "agent-test-token";
    public static final String EXHAUSTED = "exhausted-";
    public static final String BROKEN = "ledger-broken-";
    public static final String KILLED = "killed-";
    public static final String ONE_HOLD = "one-hold-";
    public static final Instant RESETS_AT = Instant.parse("2031-01-02T00:00:00Z");
    public static final String REQUESTS_PATH = "/stub/requests";

    /** {@code PUT} here sets a loop's triage state as state-service would answer it (the loop id follows). */
    public static final String TRIAGE_PATH = "/stub/triage/";

    /** {@code PUT} here sets what the run log answers for a tick (the tick id follows); unset ticks answer 404. */
    public static final String TICKS_PATH = "/stub/ticks/";

    private static final String RUN_LOG = "/api/v1/ticks/";

    private final Map<String, JsonNode> ticks = new java.util.concurrent.ConcurrentHashMap<>();

    private final List<ObjectNode> requests = new ArrayList<>();
    private final Map<String, JsonNode> triage = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, List<ObjectNode>> notes = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> byKey = new HashMap<>();
    private final Map<String, Long> settled = new HashMap<>();
    private final Map<String, String> firstKeyOf = new HashMap<>();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the budget ledger stub", e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return Map.of("loopline.agent.state.url", url(), "loopline.agent.state.token", TOKEN);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (method.equals("GET") && path.equals(REQUESTS_PATH)) {
                ArrayNode all = Json.mapper().createArrayNode();
                synchronized (requests) {
                    requests.forEach(r -> all.add(r.deepCopy()));
                }
                respond(exchange, 200, "application/json", all);
                return;
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (method.equals("PUT") && path.startsWith(TICKS_PATH)) {
                ticks.put(path.substring(TICKS_PATH.length()), Json.mapper().readTree(body));
                respond(exchange, 200, "application/json", Json.mapper().createObjectNode());
                return;
            }
            if (method.equals("GET") && path.startsWith(RUN_LOG)) {
                // the run log, asked before an attempt runs; not recorded, so the budget assertions see the ledger only
                JsonNode tick = ticks.get(path.substring(RUN_LOG.length()));
                if (tick == null) {
                    respond(exchange, 404, "application/problem+json", problem(404, "Not Found", path));
                } else {
                    respond(exchange, 200, "application/json", tick);
                }
                return;
            }
            if (method.equals("PUT") && path.startsWith(TRIAGE_PATH)) {
                triage.put(path.substring(TRIAGE_PATH.length()), Json.mapper().readTree(body));
                respond(exchange, 200, "application/json", Json.mapper().createObjectNode());
                return;
            }
            ObjectNode recorded = Json.mapper().createObjectNode();
            recorded.put("method", method);
            recorded.put("path", path);
            recorded.put("authorization", exchange.getRequestHeaders().getFirst("Authorization"));
            recorded.put("body", body);
            synchronized (requests) {
                requests.add(recorded);
            }
            if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                respond(exchange, 401, "application/problem+json", problem(401, "Unauthorized", "token not accepted"));
                return;
            }
            String reservations = "/api/v1/budget/reservations";
            if (method.equals("POST") && path.equals(reservations)) {
                reserve(exchange, Json.mapper().readTree(body), recorded);
            } else if (method.equals("POST") && path.startsWith(reservations + "/") && path.endsWith("/settle")) {
                JsonNode settle = Json.mapper().readTree(body);
                String id = path.substring(reservations.length() + 1, path.length() - "/settle".length());
                ObjectNode state = state(id);
                long tokens;
                synchronized (requests) {
                    Long before =
                            settled.putIfAbsent(id, settle.path("actualTokens").asLong());
                    recorded.put(
                            "charged",
                            before == null ? settle.path("actualTokens").asLong() : 0);
                    tokens = settled.get(id);
                }
                state.put("status", "settled").put("settledTokens", tokens);
                respond(exchange, 200, "application/json", state);
            } else if (path.startsWith(LOOPS) && path.endsWith("/triage") && method.equals("GET")) {
                String loop = path.substring(LOOPS.length(), path.length() - "/triage".length());
                JsonNode state = triage.get(loop);
                if (loop.startsWith(BROKEN)) {
                    respond(exchange, 503, "application/problem+json", problem(503, "Service Unavailable", "db down"));
                    return;
                }
                if (state == null) {
                    ObjectNode empty = Json.mapper().createObjectNode().put("loopId", loop);
                    empty.putObject("cursors");
                    state = empty;
                }
                respond(exchange, 200, "application/json", state);
            } else if (path.startsWith(LOOPS) && path.endsWith("/notes")) {
                notes(exchange, path.substring(LOOPS.length(), path.length() - "/notes".length()), method, body);
            } else if (method.equals("DELETE") && path.startsWith(reservations + "/")) {
                ObjectNode state = state(path.substring(reservations.length() + 1));
                respond(exchange, 200, "application/json", state.put("status", "released"));
            } else {
                respond(exchange, 404, "application/problem+json", problem(404, "Not Found", path));
            }
        }
    }

    private static final String LOOPS = "/api/v1/loops/";

    /** The notebook as state-service keeps it: append once per key, the newest 50, oldest first. */
    private void notes(HttpExchange exchange, String loop, String method, String body) throws IOException {
        List<ObjectNode> list = notes.computeIfAbsent(loop, l -> new ArrayList<>());
        synchronized (list) {
            if (method.equals("POST")) {
                JsonNode note = Json.mapper().readTree(body);
                String key = note.path("key").asText();
                if (list.stream().noneMatch(n -> n.path("key").asText().equals(key))) {
                    ObjectNode stored = Json.mapper().createObjectNode();
                    stored.put("id", list.size() + 1L).put("key", key);
                    stored.put("tickId", note.path("tickId").asText(null));
                    stored.put("author", "agent").put("text", note.path("text").asText());
                    stored.put("createdAt", Instant.now().toString());
                    list.add(stored);
                    while (list.size() > 50) {
                        list.remove(0);
                    }
                }
            }
            ObjectNode book = Json.mapper().createObjectNode().put("loopId", loop);
            ArrayNode all = book.putArray("notes");
            list.forEach(n -> all.add(n.deepCopy()));
            book.put("maxNotes", 50).put("maxNoteChars", 2000);
            respond(exchange, 200, "application/json", book);
        }
    }

    /** Sets what {@code GET /api/v1/loops/{loop}/triage} answers, as state-service would after recording a tick. */
    public static void putTriage(String stateUrl, String loop, String stateJson) {
        put(stateUrl + TRIAGE_PATH + loop, stateJson);
    }

    /** Sets what {@code GET /api/v1/ticks/{tickId}} answers, as state-service's run log would. */
    public static void putTick(String stateUrl, String tickId, String tickJson) {
        put(stateUrl + TICKS_PATH + tickId, tickJson);
    }

    private static void put(String url, String json) {
        try {
            HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .PUT(HttpRequest.BodyPublishers.ofString(json))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void reserve(HttpExchange exchange, JsonNode request, ObjectNode recorded) throws IOException {
        String loop = "";
        for (JsonNode scope : request.path("scopes")) {
            if (scope.path("kind").asText().equals("loop")) {
                loop = scope.path("id").asText();
            }
        }
        boolean spent = false;
        if (loop.startsWith(ONE_HOLD)) {
            String key = request.path("idempotencyKey").asText("");
            synchronized (requests) {
                spent = !firstKeyOf.computeIfAbsent(loop, l -> key).equals(key);
            }
        }
        if (loop.startsWith(EXHAUSTED) || spent) {
            ObjectNode refusal = problem(409, "Budget exhausted", "loop " + loop + " has 40 of 1000 tokens left");
            refusal.put("type", BudgetLedger.BUDGET_EXHAUSTED);
            refusal.putObject("scope").put("kind", "loop").put("id", loop);
            refusal.put("cap", 1000).put("spent", 960).put("held", 0);
            refusal.put("requested", request.path("tokens").asLong());
            refusal.put("resetsAt", RESETS_AT.toString());
            respond(exchange, 409, "application/problem+json", refusal);
            return;
        }
        if (loop.startsWith(KILLED)) {
            ObjectNode killed =
                    problem(409, "Scope killed", "Scope loop:" + loop + " is killed: runaway costs (by alice)");
            respond(exchange, 409, "application/problem+json", killed.put("type", BudgetLedger.SCOPE_KILLED));
            return;
        }
        if (loop.startsWith(BROKEN)) {
            respond(exchange, 503, "application/problem+json", problem(503, "Service Unavailable", "database down"));
            return;
        }
        String key = request.path("idempotencyKey").asText(null);
        String id;
        boolean replayed;
        synchronized (requests) {
            String known = key == null ? null : byKey.get(key);
            replayed = known != null;
            id = replayed ? known : UUID.randomUUID().toString();
            if (key != null) {
                byKey.put(key, id);
            }
            recorded.put("reservationId", id);
            recorded.put("replayed", replayed);
        }
        ObjectNode granted = Json.mapper().createObjectNode();
        granted.put("id", id);
        granted.put("tokens", request.path("tokens").asLong());
        granted.put(
                "expiresAt",
                Instant.now().plusSeconds(request.path("ttlSeconds").asLong()).toString());
        granted.putArray("charges");
        if (replayed) {
            granted.put("replayed", true).put("status", settled.containsKey(id) ? "settled" : "held");
        }
        respond(exchange, replayed ? 200 : 201, "application/json", granted);
    }

    /** The requests the stub at {@code stateUrl} recorded, oldest first. */
    public static List<JsonNode> recorded(String stateUrl) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(stateUrl + REQUESTS_PATH))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            List<JsonNode> all = new ArrayList<>();
            Json.mapper().readTree(response.body()).forEach(all::add);
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The reservations asked for loop {@code loopId}, oldest first. */
    public static List<JsonNode> reservationsOf(String stateUrl, String loopId) {
        return recorded(stateUrl).stream()
                .filter(r -> r.path("method").asText().equals("POST")
                        && r.path("path").asText().equals("/api/v1/budget/reservations")
                        && r.path("body").asText().contains("\"id\":\"" + loopId + "\""))
                .toList();
    }

    /** The settlements and releases of reservation {@code id}. */
    public static List<JsonNode> followUpsOf(String stateUrl, String id) {
        return recorded(stateUrl).stream()
                .filter(r -> r.path("path").asText().startsWith("/api/v1/budget/reservations/" + id))
                .toList();
    }

    private static ObjectNode state(String id) {
        return Json.mapper().createObjectNode().put("id", id).put("tokens", 0);
    }

    private static ObjectNode problem(int status, String title, String detail) {
        ObjectNode problem = Json.mapper().createObjectNode();
        problem.put("type", "about:blank")
                .put("title", title)
                .put("status", status)
                .put("detail", detail);
        return problem;
    }

    private static void respond(HttpExchange exchange, int status, String type, JsonNode body) throws IOException {
        byte[] bytes = Json.mapper().writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
