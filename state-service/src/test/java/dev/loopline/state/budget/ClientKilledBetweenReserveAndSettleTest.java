package dev.loopline.state.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import dev.loopline.state.StateApi;
import dev.loopline.state.TickEvents;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A client process that reserved tokens and was killed ({@code SIGKILL}) before settling: its hold keeps counting
 * until its TTL, then stops counting without anyone releasing it, and the sweeper marks it expired.
 */
@QuarkusTest
class ClientKilledBetweenReserveAndSettleTest {

    /** Long enough for the checks before expiry on a loaded machine (the JVM of the client starts before the hold). */
    private static final int TTL_SECONDS = 10;

    @Inject
    EntityManager em;

    @Test
    void holdOfAKilledClientCountsUntilItsTtlThenFreesTheTokensAndIsSwept() throws Exception {
        String loop = TickEvents.newLoopId();
        StateApi.api()
                .contentType("application/json")
                .body("{\"scope\":{\"kind\":\"loop\",\"id\":\"" + loop + "\"},\"dailyTokens\":100}")
                .put("/api/v1/budget/caps")
                .then()
                .statusCode(200);

        Process client = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx64m",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ReservingClient.class.getName(),
                        "http://localhost:" + RestAssured.port,
                        StateApi.TOKEN,
                        loop,
                        "80",
                        Integer.toString(TTL_SECONDS))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        JsonPath reservation;
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                        try {
                            return out.readLine();
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .get(60, TimeUnit.SECONDS);
            assertThat(line).startsWith("reserved ");
            reservation = JsonPath.from(line.substring("reserved ".length()));
        } finally {
            client.destroyForcibly(); // SIGKILL: no shutdown hook, no release, no settle
        }
        assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(client.exitValue()).isEqualTo(128 + 9);
        UUID id = UUID.fromString(reservation.getString("id"));
        Instant expiresAt = Instant.parse(reservation.getString("expiresAt"));

        // before its TTL the orphaned hold still counts: the budget shows it and the 80 tokens are not available
        long heldBefore = held(loop);
        io.restassured.response.Response refused = reserve(loop, 80);
        assertThat(Instant.now())
                .as("checked before the hold expired (raise TTL_SECONDS on a slower machine)")
                .isBefore(expiresAt);
        assertThat(heldBefore).isEqualTo(80L);
        refused.then().statusCode(409).body("held", is(80));

        // after it, nothing counts it any more and its tokens can be reserved again, without any release
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> held(loop) == 0L);
        assertThat(Instant.now()).isAfterOrEqualTo(expiresAt);
        reserve(loop, 80).then().statusCode(201);

        // and the scheduled sweeper (every 2 s in tests) marks the orphan expired
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> "expired".equals(status(id)));
        assertThat(QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                                "SELECT count(*) FROM budget_reservation r JOIN budget_charge c"
                                        + " ON c.reservation_id = r.id WHERE c.scope_id = :loop"
                                        + " AND r.status = 'held'")
                        .setParameter("loop", loop)
                        .getSingleResult()))
                .isEqualTo(1L);
    }

    private static io.restassured.response.Response reserve(String loop, long tokens) {
        return StateApi.api()
                .contentType("application/json")
                .body("{\"scopes\":[{\"kind\":\"loop\",\"id\":\"" + loop + "\"}],\"tokens\":" + tokens
                        + ",\"ttlSeconds\":600}")
                .post("/api/v1/budget/reservations");
    }

    /** The loop's live holds today, as GET /api/v1/budget shows them. */
    private static long held(String loop) {
        return StateApi.budgetOf(loop).getLong("held");
    }

    private String status(UUID id) {
        return QuarkusTransaction.requiringNew()
                .call(() -> (String) em.createNativeQuery("SELECT status FROM budget_reservation WHERE id = :id")
                        .setParameter("id", id)
                        .getSingleResult());
    }
}
