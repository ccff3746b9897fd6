package dev.loopline.support.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.loopline.core.auth.Caller;
import dev.loopline.core.auth.Role;
import dev.loopline.testsupport.MutableClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link StateCallers} against a real HTTP server standing in for state-service's {@code /api/v1/auth/me}. */
class StateCallersTest {

    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final AtomicInteger asked = new AtomicInteger();
    private volatile int failWith;
    private HttpServer server;
    private MutableClock clock;
    private StateCallers callers;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/auth/me", exchange -> {
            asked.incrementAndGet();
            String header = exchange.getRequestHeaders().getFirst("Authorization");
            String body = header == null ? null : answers.get(header.substring("Bearer ".length()));
            int code = failWith != 0 ? failWith : body == null ? 401 : 200;
            byte[] out = (code == 200 ? body : "{}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        });
        server.start();
        clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
        callers = new StateCallers(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                Duration.ofSeconds(2),
                Duration.ofSeconds(30),
                clock);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aKnownTokenIsTheCallerStateServiceNamesWithItsRoleAndTeam() {
        answers.put("llt_a", "{\"name\":\"ana\",\"role\":\"approver\",\"team\":\"payments\"}");

        Caller caller = callers.resolve("llt_a").orElseThrow();

        assertThat(caller.name()).isEqualTo("ana");
        assertThat(caller.role()).isEqualTo(Role.APPROVER);
        assertThat(caller.team()).isEqualTo("payments");
        assertThat(caller.bootstrap()).isFalse();
    }

    @Test
    void anAnswerIsCachedForTheTtlThenAskedAgainSoARevokedTokenStopsWorking() {
        answers.put("llt_b", "{\"name\":\"bo\",\"role\":\"operator\"}");

        callers.resolve("llt_b");
        clock.advance(Duration.ofSeconds(29));
        assertThat(callers.resolve("llt_b")).isPresent();
        assertThat(asked).hasValue(1);

        answers.remove("llt_b"); // revoked
        clock.advance(Duration.ofSeconds(2));
        assertThat(callers.resolve("llt_b")).isEmpty();
        assertThat(asked).hasValue(2);
    }

    @Test
    void aRefusedTokenIsEmptyAndARefusalIsCachedOnlyBriefly() {
        assertThat(callers.resolve("llt_unknown")).isEmpty();
        answers.put("llt_unknown", "{\"name\":\"new\",\"role\":\"viewer\"}");
        clock.advance(Duration.ofSeconds(4));

        assertThat(callers.resolve("llt_unknown")).map(Caller::name).contains("new");
    }

    @Test
    void aStateServiceThatCannotAnswerIsUnavailableNotARefusal() {
        failWith = 500;
        assertThatThrownBy(() -> callers.resolve("llt_c"))
                .isInstanceOf(StateCallers.Unavailable.class)
                .hasMessageContaining("answered 500");

        failWith = 0;
        server.stop(0);
        assertThatThrownBy(() -> callers.resolve("llt_c"))
                .isInstanceOf(StateCallers.Unavailable.class)
                .hasMessageContaining("cannot be reached");
    }

    @Test
    void anAnswerWithAnUnknownRoleIsNotTrusted() {
        answers.put("llt_d", "{\"name\":\"dee\",\"role\":\"superuser\"}");

        assertThatThrownBy(() -> callers.resolve("llt_d"))
                .isInstanceOf(StateCallers.Unavailable.class)
                .hasMessageContaining("unknown role");
    }
}
