package dev.loopline.makers.claude;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.loopline.core.io.ProcessRunner;
import dev.loopline.schemas.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated hook against a stand-in for the agent: it passes the call on and fails closed. */
class ClaudeCodeSettingsTest {

    private static final String CALL = "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\"}";

    @TempDir
    Path dir;

    private HttpServer agent;
    private final AtomicReference<String> received = new AtomicReference<>();
    private volatile int status;
    private volatile String body = "";

    @BeforeEach
    void startAgent() throws IOException {
        agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        agent.createContext("/", exchange -> {
            received.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
            exchange.close();
        });
        agent.start();
    }

    @AfterEach
    void stopAgent() {
        agent.stop(0);
    }

    @Test
    void anAllowLetsTheCallGoAndTheAgentGetsTheCallAsTheCliWroteIt() throws IOException {
        status = 204;

        ProcessRunner.Result hook = hook(endpoint());

        assertThat(hook.exitCode()).isZero();
        assertThat(received.get()).isEqualTo(CALL);
    }

    @Test
    void aBlockExitsTwoWithTheReasonForClaude() throws IOException {
        status = 200;
        body = "Loopline blocked this Bash call (rule fs-recursive-delete): recursive rm";

        ProcessRunner.Result hook = hook(endpoint());

        assertThat(hook.exitCode()).isEqualTo(2);
        assertThat(hook.output().strip()).isEqualTo(body);
    }

    @Test
    void anyOtherAnswerBlocks() throws IOException {
        status = 404;

        ProcessRunner.Result hook = hook(endpoint());

        assertThat(hook.exitCode()).isEqualTo(2);
        assertThat(hook.output()).contains("its tool-call guard did not answer");
    }

    @Test
    void anAgentThatCannotBeReachedBlocks() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }

        ProcessRunner.Result hook = hook(URI.create("http://127.0.0.1:" + closed + "/api/v1/hooks/t"));

        assertThat(hook.exitCode()).isEqualTo(2);
        assertThat(hook.output()).contains("Loopline blocked this call");
    }

    @Test
    void aCallTooLargeForOneWriteGoesThroughCurlAndIsAnsweredTheSame() throws IOException {
        status = 200;
        body = "Loopline blocked this Write call (rule harness-changed): test runner configuration";
        String large = "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Write\",\"tool_input\":{\"content\":\""
                + "x".repeat(200_000) + "\"}}";

        ProcessRunner.Result hook = hook(endpoint(), large, Duration.ofSeconds(5));

        assertThat(hook.exitCode()).isEqualTo(2);
        assertThat(hook.output().strip()).isEqualTo(body);
        assertThat(received.get()).isEqualTo(large);
    }

    @Test
    void anAgentThatAcceptsButNeverAnswersBlocksWithinTheLimit() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();

            ProcessRunner.Result hook = hook(
                    URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/api/v1/hooks/t"),
                    CALL,
                    Duration.ofSeconds(1));

            assertThat(hook.exitCode()).isEqualTo(2);
            assertThat(hook.output()).contains("no answer within 1s");
            // well inside the CLI's own limit (hook timeout + 5 s), past which it would let the call through
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void theSettingsRouteEveryGuardedToolToTheHook() throws IOException {
        Path settings = ClaudeCodeSettings.write(dir, endpoint(), Duration.ofSeconds(10), false);

        JsonNode hooks = Json.mapper().readTree(settings.toFile()).path("hooks");
        assertThat(Json.mapper()
                        .readTree(settings.toFile())
                        .path("skipWebFetchPreflight")
                        .asBoolean())
                .isTrue();
        assertThat(hooks.path("PreToolUse").findValuesAsText("matcher"))
                .containsExactly("Bash", "Write|Edit|MultiEdit|NotebookEdit", "WebFetch|WebSearch|mcp__.*");
        assertThat(hooks.path("PostToolUse").findValuesAsText("matcher")).containsExactly("WebFetch|WebSearch|mcp__.*");
        assertThat(hooks.path("SessionStart")).hasSize(1);
        assertThat(hooks.findValuesAsText("command")).containsOnly("'" + dir.resolve("loopline-hook") + "'");
    }

    private URI endpoint() {
        return URI.create("http://127.0.0.1:" + agent.getAddress().getPort() + "/api/v1/hooks/secret");
    }

    private ProcessRunner.Result hook(URI endpoint) throws IOException {
        return hook(endpoint, CALL, Duration.ofSeconds(5));
    }

    private ProcessRunner.Result hook(URI endpoint, String call, Duration limit) throws IOException {
        ClaudeCodeSettings.write(dir, endpoint, limit, true);
        // stderr is what Claude reads; ProcessRunner folds it into the output
        return ProcessRunner.run(
                List.of(dir.resolve("loopline-hook").toString()),
                dir,
                Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")),
                Duration.ofSeconds(20),
                call);
    }
}
