package dev.loopline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.loopline.schemas.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code pause} and {@code resume} against a stub scheduler: the request they send and what they print. */
class OperatorVerbsTest {

    private record Request(String method, String path, String authorization, JsonNode body) {}

    private record Run(int exitCode, String out, String err) {}

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private int status = 200;
    private String answer = "{\"id\":\"docs\",\"paused\":true}";

    @BeforeEach
    void startStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    text.isBlank() ? null : Json.mapper().readTree(text)));
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders()
                    .add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stopStub() {
        server.stop(0);
    }

    private Run run(String... verb) {
        String[] args = new String[verb.length + 4];
        System.arraycopy(verb, 0, args, 0, verb.length);
        args[verb.length] = "--scheduler-url";
        args[verb.length + 1] = "http://127.0.0.1:" + server.getAddress().getPort();
        args[verb.length + 2] = "--token";
        args[verb.length + 3] = "secret";
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = LooplineCommand.commandLine().execute(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void pauseSendsTheReasonWithTheTokenAndPrintsWhatItDid() {
        Run run = run("pause", "docs", "--reason", "release freeze");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).isEqualTo("paused docs: release freeze" + System.lineSeparator());
        assertThat(requests).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/api/v1/loops/docs/pause");
            assertThat(r.authorization()).isEqualTo("Bearer secret");
            assertThat(r.body().path("reason").asText()).isEqualTo("release freeze");
            assertThat(r.body().path("by").asText()).isEqualTo(System.getProperty("user.name"));
        });
    }

    @Test
    void pauseWithoutAReasonSendsNone() {
        Run run = run("pause", "docs");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).isEqualTo("paused docs" + System.lineSeparator());
        assertThat(requests.get(0).body().has("reason")).isFalse();
    }

    @Test
    void resumePostsToTheResumePathAndPrintsTheNextRun() {
        answer = "{\"id\":\"docs\",\"paused\":false,\"nextRunAt\":\"2026-11-21T06:00:03Z\"}";

        Run run = run("resume", "docs");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).isEqualTo("resumed docs; next run at 2026-11-21T06:00:03Z" + System.lineSeparator());
        assertThat(requests).singleElement().extracting(Request::path).isEqualTo("/api/v1/loops/docs/resume");
    }

    @Test
    void aProblemAnswerIsPrintedAndFails() {
        status = 404;
        answer = "{\"type\":\"https://loopline.dev/problems/loop-not-found\",\"title\":\"Loop not found\","
                + "\"status\":404,\"detail\":\"no loop nope\"}";

        Run run = run("resume", "nope");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.err()).isEqualTo("resume nope: no loop nope" + System.lineSeparator());
        assertThat(run.out()).isEmpty();
    }
}
