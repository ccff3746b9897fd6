package dev.loopline.state;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A JDK HTTP server standing in for the scheduler's {@code GET /api/v1/schedule}, for every state-service test: it
 * requires {@code Authorization: Bearer }{@value #TOKEN} (401 otherwise) and answers two loops of team {@value #TEAM},
 * in the scheduler's {@code LoopStatus} shape: {@value #PAUSED}, paused by dana, and {@value #WAITING}, which runs
 * next at {@value #NEXT_RUN} and has never ticked.
 */
public class SchedulerStub implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "scheduler-test-token";
    public static final String TEAM = "sched-team";
    public static final String PAUSED = "sched-paused";
    public static final String WAITING = "sched-waiting";
    public static final String NEXT_RUN = "2031-01-01T00:00:00Z";

    private static final String LOOPS =
            """
            [{"id":"%s","team":"%s","kind":"assisted-fix","level":"L3","declaredLevel":"L3","effectiveLevel":"L2",
              "runnable":false,"cadence":"1h","valid":true,"problems":[],"paused":true,
              "pause":{"by":"dana","reason":"release freeze","since":"2030-12-31T09:00:00Z"},"halted":null,
              "recentOutcomes":["merged"],"nextRunAt":null},
             {"id":"%s","team":"%s","kind":"report","level":"L1","declaredLevel":"L1","effectiveLevel":"L1",
              "runnable":true,"cadence":"1d","valid":true,"problems":[],"paused":false,"pause":null,
              "halted":{"kind":"stall","detail":"no progress in 5 runs","since":"2030-12-31T10:00:00Z"},
              "recentOutcomes":[],"nextRunAt":"%s"}]
            """
                    .formatted(PAUSED, TEAM, WAITING, TEAM, NEXT_RUN);

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/v1/schedule", exchange -> {
            boolean authorized =
                    ("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] answer = (authorized ? LOOPS : "{\"status\":401}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(authorized ? 200 : 401, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return Map.of(
                "loopline.state.scheduler.url",
                "http://127.0.0.1:" + server.getAddress().getPort(),
                "loopline.state.scheduler.token",
                TOKEN);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
