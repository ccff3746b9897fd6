package dev.loopline.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.loopline.schemas.json.Json;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A model API for the real Claude Code CLI, on this host and offline: {@code POST /v1/messages} answered with the
 * Anthropic Messages API's server-sent events (message_start, content_block_start/delta/stop, message_delta with
 * usage, message_stop), following a script of tool calls that a test sets with {@link #play}. Every request is
 * recorded. A second server speaks HTTPS (a self-signed certificate the CLI is told to trust) and serves the pages a
 * scripted WebFetch reads, because WebFetch only fetches {@code https} URLs.
 *
 * <p>Turn n of the script answers the request that carries n assistant messages. A request without tools is one
 * the CLI makes on the side (WebFetch hands the page to the model with a prompt): it is answered with the page's
 * text, as a model that repeats what it read would.
 */
public class AnthropicStub implements QuarkusTestResourceLifecycleManager {

    public static final String API_KEY = "sk-loopline-test";

    /** Tokens every answer reports, so a test can add them up. */
    public static final int INPUT = 100;

    public static final int OUTPUT = 20;
    public static final int CACHE_WRITE = 10;
    public static final int CACHE_READ = 1000;

    /** One scripted answer: a tool call or the final text. */
    public record Turn(String tool, ObjectNode input, String text) {
        public static Turn tool(String name, Map<String, Object> input) {
            return new Turn(name, Json.mapper().valueToTree(input), null);
        }

        public static Turn text(String text) {
            return new Turn(null, null, text);
        }
    }

    /** A request the stub received. */
    public record Recorded(String method, String path, JsonNode body) {}

    private static volatile List<Turn> script = List.of();
    private static final List<Recorded> requests = new ArrayList<>();
    private static final Map<String, String> pages = new ConcurrentHashMap<>();
    private static volatile int httpsPort;

    private HttpServer api;
    private HttpsServer web;
    private Path dir;

    /** Plays {@code turns} from the next conversation on and forgets what was recorded. */
    public static void play(List<Turn> turns) {
        script = List.copyOf(turns);
        synchronized (requests) {
            requests.clear();
        }
    }

    public static List<Recorded> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Serves {@code html} at {@code https://127.0.0.1:<port>/<name>} and returns that URL. */
    public static String page(String name, String html) {
        pages.put("/" + name, html);
        return "https://127.0.0.1:" + httpsPort + "/" + name;
    }

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("anthropic-stub");
            Path pem = certificate(dir);
            api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            api.createContext("/", this::api);
            api.setExecutor(Executors.newCachedThreadPool());
            api.start();
            web = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            web.setHttpsConfigurator(new HttpsConfigurator(sslContext(dir)));
            web.createContext("/", this::web);
            web.setExecutor(Executors.newCachedThreadPool());
            web.start();
            httpsPort = web.getAddress().getPort();
            return Map.of(
                    "loopline.agent.claude-code.base-url",
                    "http://127.0.0.1:" + api.getAddress().getPort(),
                    "loopline.agent.claude-code.api-key",
                    API_KEY,
                    "loopline.agent.claude-code.extra-ca-certs",
                    pem.toString(),
                    // the CLI would ask claude.ai whether 127.0.0.1 may be fetched; there is no network here
                    "loopline.agent.claude-code.web-fetch-preflight",
                    "false");
        } catch (IOException | GeneralSecurity e) {
            throw new IllegalStateException("cannot start the Anthropic stub: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        if (api != null) {
            api.stop(0);
        }
        if (web != null) {
            web.stop(0);
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory left behind is harmless
            }
        }
    }

    private void api(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            JsonNode body = raw.length == 0 ? null : readJson(raw);
            String path = exchange.getRequestURI().toString();
            synchronized (requests) {
                requests.add(new Recorded(exchange.getRequestMethod(), path, body));
            }
            if (!exchange.getRequestMethod().equals("POST")
                    || !exchange.getRequestURI().getPath().equals("/v1/messages")
                    || body == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            Turn turn = turnFor(body);
            String id = "toolu_" + Long.toHexString(System.nanoTime());
            if (!body.path("stream").asBoolean(false)) {
                send(exchange, 200, "application/json", Json.mapper().writeValueAsString(message(body, turn, id)));
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (String event : events(body, turn, id)) {
                    out.write(event.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        }
    }

    private void web(HttpExchange exchange) throws IOException {
        try (exchange) {
            synchronized (requests) {
                requests.add(new Recorded(exchange.getRequestMethod(), "https:" + exchange.getRequestURI(), null));
            }
            String html = pages.get(exchange.getRequestURI().getPath());
            if (html == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            send(exchange, 200, "text/html; charset=utf-8", html);
        }
    }

    private static Turn turnFor(JsonNode body) {
        if (!body.path("tools").isArray() || body.path("tools").isEmpty()) {
            // a side request (WebFetch's summary): answer with what the request quotes
            return Turn.text("Summary of the page: " + lastUserText(body));
        }
        int assistants = 0;
        for (JsonNode m : body.path("messages")) {
            if ("assistant".equals(m.path("role").asText())) {
                assistants++;
            }
        }
        List<Turn> turns = script;
        return assistants < turns.size() ? turns.get(assistants) : Turn.text("Nothing more to do.");
    }

    private static String lastUserText(JsonNode body) {
        StringBuilder text = new StringBuilder();
        JsonNode messages = body.path("messages");
        JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        if (last != null) {
            JsonNode content = last.path("content");
            if (content.isTextual()) {
                text.append(content.asText());
            }
            for (JsonNode block : content) {
                text.append(block.path("text").asText(""));
            }
        }
        return text.toString();
    }

    private static List<String> events(JsonNode request, Turn turn, String id) throws IOException {
        List<String> events = new ArrayList<>();
        ObjectNode start = Json.mapper().createObjectNode().put("type", "message_start");
        ObjectNode message = start.putObject("message")
                .put("id", "msg_" + id)
                .put("type", "message")
                .put("role", "assistant")
                .put("model", request.path("model").asText("claude-sonnet-4-5"));
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.putObject("usage")
                .put("input_tokens", INPUT)
                .put("output_tokens", 1)
                .put("cache_creation_input_tokens", CACHE_WRITE)
                .put("cache_read_input_tokens", CACHE_READ);
        events.add(event("message_start", start));
        ObjectNode blockStart = Json.mapper()
                .createObjectNode()
                .put("type", "content_block_start")
                .put("index", 0);
        ObjectNode delta = Json.mapper()
                .createObjectNode()
                .put("type", "content_block_delta")
                .put("index", 0);
        if (turn.tool() != null) {
            ObjectNode block = blockStart
                    .putObject("content_block")
                    .put("type", "tool_use")
                    .put("id", id)
                    .put("name", turn.tool());
            block.putObject("input");
            delta.putObject("delta")
                    .put("type", "input_json_delta")
                    .put("partial_json", Json.mapper().writeValueAsString(turn.input()));
        } else {
            blockStart.putObject("content_block").put("type", "text").put("text", "");
            delta.putObject("delta").put("type", "text_delta").put("text", turn.text());
        }
        events.add(event("content_block_start", blockStart));
        events.add(event("content_block_delta", delta));
        events.add(event(
                "content_block_stop",
                Json.mapper()
                        .createObjectNode()
                        .put("type", "content_block_stop")
                        .put("index", 0)));
        ObjectNode end = Json.mapper().createObjectNode().put("type", "message_delta");
        end.putObject("delta")
                .put("stop_reason", turn.tool() != null ? "tool_use" : "end_turn")
                .putNull("stop_sequence");
        end.putObject("usage").put("output_tokens", OUTPUT);
        events.add(event("message_delta", end));
        events.add(event("message_stop", Json.mapper().createObjectNode().put("type", "message_stop")));
        return events;
    }

    private static ObjectNode message(JsonNode request, Turn turn, String id) {
        ObjectNode message = Json.mapper()
                .createObjectNode()
                .put("id", "msg_" + id)
                .put("type", "message")
                .put("role", "assistant")
                .put("model", request.path("model").asText("claude-sonnet-4-5"));
        ArrayNode content = message.putArray("content");
        if (turn.tool() != null) {
            content.addObject()
                    .put("type", "tool_use")
                    .put("id", id)
                    .put("name", turn.tool())
                    .set("input", turn.input());
        } else {
            content.addObject().put("type", "text").put("text", turn.text());
        }
        message.put("stop_reason", turn.tool() != null ? "tool_use" : "end_turn");
        message.putObject("usage")
                .put("input_tokens", INPUT)
                .put("output_tokens", OUTPUT)
                .put("cache_creation_input_tokens", CACHE_WRITE)
                .put("cache_read_input_tokens", CACHE_READ);
        return message;
    }

    private static String event(String name, ObjectNode data) throws IOException {
        return "event: " + name + "\ndata: " + Json.mapper().writeValueAsString(data) + "\n\n";
    }

    private static void send(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static JsonNode readJson(byte[] raw) {
        try {
            return Json.mapper().readTree(raw);
        } catch (IOException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ a certificate for 127.0.0.1

    /** Failures of the JDK's key tools, in one type. */
    private static final class GeneralSecurity extends Exception {
        GeneralSecurity(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final String STORE_PASSWORD = "changeit";

    /** A self-signed certificate for IP 127.0.0.1, made with the JDK's keytool; returns its PEM. */
    private static Path certificate(Path dir) throws IOException, GeneralSecurity {
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Path store = dir.resolve("stub.p12");
        Path pem = dir.resolve("stub.pem");
        run(List.of(
                keytool,
                "-genkeypair",
                "-alias",
                "stub",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-ext",
                "BC=ca:true",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                STORE_PASSWORD,
                "-keypass",
                STORE_PASSWORD));
        run(List.of(
                keytool,
                "-exportcert",
                "-rfc",
                "-alias",
                "stub",
                "-keystore",
                store.toString(),
                "-storepass",
                STORE_PASSWORD,
                "-file",
                pem.toString()));
        return pem;
    }

    private static SSLContext sslContext(Path dir) throws GeneralSecurity {
        try (InputStream in = Files.newInputStream(dir.resolve("stub.p12"))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, STORE_PASSWORD.toCharArray());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, STORE_PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new GeneralSecurity("cannot load the stub's certificate", e);
        }
    }

    private static void run(List<String> command) throws IOException, GeneralSecurity {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new GeneralSecurity("keytool failed: " + output, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", e));
        }
    }
}
