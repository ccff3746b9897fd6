package dev.loopline.state.loop;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.loopline.testsupport.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The scheduler client when the scheduler cannot give its loops: the loop list says why, and never fails. */
class SchedulerLoopsTest {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aSchedulerNobodyListensAtIsUnavailableAndTheTokenIsNotInTheReason() {
        URI nowhere = URI.create("http://127.0.0.1:" + FreePorts.pick());
        SchedulerLoops.Schedule schedule =
                SchedulerLoops.fetch(HTTP, nowhere, Optional.of("secret-token"), Duration.ofSeconds(2));
        assertThat(schedule.available()).isFalse();
        assertThat(schedule.loops()).isEmpty();
        assertThat(schedule.status())
                .startsWith("unavailable: ")
                .contains("GET " + nowhere + "/api/v1/schedule")
                .doesNotContain("secret-token");
        // credentials in the URL are not repeated either
        URI withPassword = URI.create("http://ops:hunter2@127.0.0.1:" + nowhere.getPort());
        assertThat(SchedulerLoops.fetch(HTTP, withPassword, Optional.empty(), Duration.ofSeconds(2))
                        .status())
                .contains("GET http://127.0.0.1:" + nowhere.getPort() + "/api/v1/schedule")
                .doesNotContain("hunter2");
    }

    @Test
    void aRefusalOrAnAnswerThatIsNoLoopListIsUnavailable() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/refusing/api/v1/schedule", exchange -> {
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        server.createContext("/html/api/v1/schedule", exchange -> {
            byte[] page = "<html>login</html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            assertThat(SchedulerLoops.fetch(
                                    HTTP, URI.create(base + "/refusing/"), Optional.empty(), Duration.ofSeconds(2))
                            .status())
                    .startsWith("unavailable: HTTP 401 from GET " + base + "/refusing/api/v1/schedule");
            assertThat(SchedulerLoops.fetch(HTTP, URI.create(base + "/html"), Optional.empty(), Duration.ofSeconds(2))
                            .status())
                    .startsWith("unavailable: not a loop list (not JSON)");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void entriesWithoutAnIdOrNotReadingAsALoopStatusAreSkippedAndMissingFactsAreNull() {
        assertThat(SchedulerLoops.parse(
                        "[{\"team\":\"t\"},{\"id\":\"a\",\"nextRunAt\":\"not a time\"},{\"id\":\"b\"}]"))
                .containsOnlyKeys("b")
                .containsEntry("b", new SchedulerLoops.Entry("b", null, null, false, null, null, null));
    }
}
