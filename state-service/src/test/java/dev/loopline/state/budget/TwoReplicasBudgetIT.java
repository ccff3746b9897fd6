package dev.loopline.state.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.testsupport.FreePorts;
import dev.loopline.testsupport.KafkaBroker;
import dev.loopline.testsupport.PostgresServer;
import dev.loopline.testsupport.ProcessLogs;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two packaged state-service replicas ({@code quarkus-run.jar} as two processes) on one real Postgres and one Kafka
 * broker: 16 clients, half on each replica, reserve on shared scopes with tight caps and settle, release or keep
 * what they got. The ledger, re-added row by row, never exceeds a cap: settled + live holds ≤ cap per scope-day, in
 * tokens and in USD (the team and one loop also have money caps; every reservation names the priced model).
 */
class TwoReplicasBudgetIT {

    private static final String TOKEN = "it-" + UUID.randomUUID();
    private static final int CLIENTS = 16;
    private static final int RESERVATIONS_PER_CLIENT = 125;
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Path LOGS = Path.of("target", "two-replicas");
    /** Priced on both replicas: $2 input, $10 output per million tokens. */
    private static final String MODEL = "it-model";

    private static PostgresServer postgres;
    private static KafkaBroker kafka;
    private static String jdbc;
    private static final List<Process> replicas = new ArrayList<>();
    private static final List<URI> bases = new ArrayList<>();

    /** What a client saw for one reservation. */
    record Outcome(int status, UUID id, long tokens, String finalStatus, long settled, BigDecimal cost) {}

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        assertThat(JAR)
                .as("packaged state-service (run in verify, after package)")
                .isRegularFile();
        Files.createDirectories(LOGS);
        postgres = PostgresServer.startTemporary();
        jdbc = postgres.createDatabase("state_replicas");
        kafka = KafkaBroker.builder().build().start();
        kafka.createTopics(
                "loopline.ticks",
                "loopline.proposals",
                "loopline.verdicts",
                "loopline.decisions",
                "loopline.completions",
                "loopline.control",
                "loopline.dead-letters");
        for (int r = 0; r < 2; r++) {
            int port = FreePorts.pick();
            Path log = LOGS.resolve("replica-" + r + ".log");
            ProcessBuilder builder = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Xmx256m",
                            "-XX:+UseSerialGC",
                            "-Dloopline.budget.prices." + MODEL + ".input-per-mtok=2",
                            "-Dloopline.budget.prices." + MODEL + ".output-per-mtok=10",
                            "-jar",
                            JAR.toAbsolutePath().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("QUARKUS_DATASOURCE_JDBC_URL", jdbc);
            builder.environment().put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
            builder.environment().put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
            builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            builder.environment().put("LOOPLINE_AUTH_TOKEN", TOKEN);
            builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
            builder.environment().put("QUARKUS_LOG_LEVEL", "WARN");
            replicas.add(builder.start());
            bases.add(URI.create("http://127.0.0.1:" + port));
        }
        HttpClient http = HttpClient.newHttpClient();
        for (int r = 0; r < 2; r++) {
            Process replica = replicas.get(r);
            URI ready = bases.get(r).resolve("/q/health/ready");
            Path log = LOGS.resolve("replica-" + r + ".log");
            Awaitility.await()
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        assertThat(replica.isAlive())
                                .as(() -> "replica exited:\n" + ProcessLogs.tail(log, 30))
                                .isTrue();
                        try {
                            return http.send(
                                                    HttpRequest.newBuilder(ready)
                                                            .build(),
                                                    HttpResponse.BodyHandlers.discarding())
                                            .statusCode()
                                    == 200;
                        } catch (IOException e) {
                            return false; // not listening yet
                        }
                    });
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process replica : replicas) {
            replica.destroy();
        }
        for (Process replica : replicas) {
            if (!replica.waitFor(20, TimeUnit.SECONDS)) {
                replica.destroyForcibly();
            }
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void twoReplicasOnOneDatabaseNeverLetAScopeDayExceedItsCap() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String team = "team-" + run;
        List<String> loops = List.of("loop-a-" + run, "loop-b-" + run, "loop-c-" + run);
        Map<String, Long> caps = Map.of(team, 6_000L, loops.get(0), 2_000L, loops.get(1), 2_500L);
        // caps set through one replica are seen by the other at once (they are rows, not memory)
        setCap(bases.get(0), "team", team, 6_000);
        setCap(bases.get(1), "loop", loops.get(0), 2_000);
        setCap(bases.get(0), "loop", loops.get(1), 2_500);
        // money caps, the team's next to its token cap, loop c's alone: held at $10 / Mtok, settled at $2–10 / Mtok
        Map<String, BigDecimal> usdCaps = Map.of(team, new BigDecimal("0.05"), loops.get(2), new BigDecimal("0.012"));
        setUsdCap(bases.get(1), "team", team, "0.05");
        setUsdCap(bases.get(0), "loop", loops.get(2), "0.012");

        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<List<Outcome>>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            URI base = bases.get(c % 2);
            clients.add(pool.submit(() -> runClient(http, base, team, loops)));
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<List<Outcome>> client : clients) {
            outcomes.addAll(client.get(5, TimeUnit.MINUTES));
        }
        pool.shutdown();

        List<Outcome> granted = outcomes.stream().filter(o -> o.status() == 201).toList();
        assertThat(outcomes).hasSize(CLIENTS * RESERVATIONS_PER_CLIENT);
        assertThat(granted).isNotEmpty();
        assertThat(outcomes.stream().filter(o -> o.status() == 409).map(Outcome::finalStatus))
                .as("refusals by the money caps")
                .contains("usd");
        assertThat(outcomes.stream().filter(o -> o.status() == 409))
                .as("refusals at the caps")
                .isNotEmpty();

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Instant now = Instant.now();
        try (Connection db = DriverManager.getConnection(jdbc, postgres.username(), postgres.password())) {
            // every 201 has its row, in the state its client left it
            Map<UUID, Object[]> rows = new HashMap<>();
            for (Object[] row : chargedTo(db, "team", team, today)) {
                rows.put((UUID) row[0], row);
            }
            assertThat(rows).hasSize(granted.size());
            for (Outcome o : granted) {
                Object[] row = rows.get(o.id());
                assertThat(row).as("row of granted reservation %s", o.id()).isNotNull();
                assertThat(row[1]).isEqualTo(o.tokens());
                assertThat(row[2]).isEqualTo(o.finalStatus());
                assertThat((BigDecimal) row[5])
                        .as("USD held by %s", o.id())
                        .isEqualByComparingTo(BigDecimal.valueOf(o.tokens() * 10L, 6));
                if (o.finalStatus().equals("settled")) {
                    assertThat(row[3]).isEqualTo(o.settled());
                    assertThat((BigDecimal) row[6]).isEqualByComparingTo(o.cost());
                }
            }
            // settled + live held USD ≤ USD cap, and the period's USD is the sum of its settlements
            for (Map.Entry<String, BigDecimal> cap : usdCaps.entrySet()) {
                String kind = cap.getKey().equals(team) ? "team" : "loop";
                BigDecimal used = BigDecimal.ZERO;
                BigDecimal settled = BigDecimal.ZERO;
                for (Object[] row : chargedTo(db, kind, cap.getKey(), today)) {
                    if (row[2].equals("settled")) {
                        used = used.add((BigDecimal) row[6]);
                        settled = settled.add((BigDecimal) row[6]);
                    } else if (row[2].equals("held") && ((Instant) row[4]).isAfter(now)) {
                        used = used.add((BigDecimal) row[5]);
                    }
                }
                assertThat(used)
                        .as("settled + held USD of %s:%s", kind, cap.getKey())
                        .isLessThanOrEqualTo(cap.getValue());
                assertThat(periodSettledUsd(db, kind, cap.getKey(), today))
                        .as("settled USD of %s:%s", kind, cap.getKey())
                        .isEqualByComparingTo(settled);
            }
            // settled + live holds ≤ cap for every capped scope-day, re-added row by row
            for (Map.Entry<String, Long> cap : caps.entrySet()) {
                String kind = cap.getKey().equals(team) ? "team" : "loop";
                long used = 0;
                long settled = 0;
                for (Object[] row : chargedTo(db, kind, cap.getKey(), today)) {
                    if (row[2].equals("settled")) {
                        used += (Long) row[3];
                        settled += (Long) row[3];
                    } else if (row[2].equals("held") && ((Instant) row[4]).isAfter(now)) {
                        used += (Long) row[1];
                    }
                }
                assertThat(used)
                        .as("settled + held of %s:%s", kind, cap.getKey())
                        .isLessThanOrEqualTo(cap.getValue());
                assertThat(periodSettled(db, kind, cap.getKey(), today))
                        .as("settled sum of %s:%s", kind, cap.getKey())
                        .isEqualTo(settled);
            }
        }
    }

    private static List<Outcome> runClient(HttpClient http, URI base, String team, List<String> loops)
            throws Exception {
        List<Outcome> seen = new ArrayList<>();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < RESERVATIONS_PER_CLIENT; i++) {
            String loop = loops.get(random.nextInt(loops.size()));
            long tokens = 1 + random.nextInt(40);
            HttpResponse<String> reserved = http.send(
                    post(
                            base,
                            "/api/v1/budget/reservations",
                            "{\"scopes\":[{\"kind\":\"loop\",\"id\":\"" + loop + "\"},{\"kind\":\"team\",\"id\":\""
                                    + team + "\"}],\"tokens\":" + tokens + ",\"model\":\"" + MODEL
                                    + "\",\"ttlSeconds\":600}"),
                    HttpResponse.BodyHandlers.ofString());
            if (reserved.statusCode() != 201) {
                assertThat(reserved.statusCode()).as(reserved.body()).isEqualTo(409);
                assertThat(reserved.body()).contains("budget-exhausted");
                // a refusal's unit stands in its final status
                String unit = reserved.body().contains("\"unit\":\"usd\"") ? "usd" : "tokens";
                seen.add(new Outcome(409, null, tokens, unit, 0, null));
                continue;
            }
            String body = reserved.body();
            int at = body.indexOf("\"id\":\"") + 6;
            UUID id = UUID.fromString(body.substring(at, body.indexOf('"', at)));
            int action = random.nextInt(3);
            if (action == 0) {
                long actual = random.nextLong(tokens + 1);
                HttpResponse<String> settled = http.send(
                        post(
                                base,
                                "/api/v1/budget/reservations/" + id + "/settle",
                                "{\"actualTokens\":" + actual + ",\"inputTokens\":" + random.nextLong(actual + 1)
                                        + "}"),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(settled.statusCode()).as(settled.body()).isEqualTo(200);
                String answer = settled.body();
                int cost = answer.indexOf("\"costUsd\":") + 10;
                seen.add(new Outcome(
                        201,
                        id,
                        tokens,
                        "settled",
                        actual,
                        new BigDecimal(answer.substring(cost, answer.indexOf(',', cost)))));
            } else if (action == 1) {
                HttpResponse<String> released = http.send(
                        request(base, "/api/v1/budget/reservations/" + id)
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
                seen.add(new Outcome(201, id, tokens, "released", 0, null));
            } else {
                seen.add(new Outcome(201, id, tokens, "held", 0, null));
            }
        }
        return seen;
    }

    private static void setCap(URI base, String kind, String id, long dailyTokens) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        request(base, "/api/v1/budget/caps")
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString("{\"scope\":{\"kind\":\"" + kind
                                        + "\",\"id\":\"" + id + "\"},\"dailyTokens\":" + dailyTokens + "}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    private static void setUsdCap(URI base, String kind, String id, String dailyUsd) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        request(base, "/api/v1/budget/caps")
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString("{\"scope\":{\"kind\":\"" + kind
                                        + "\",\"id\":\"" + id + "\"},\"dailyUsd\":" + dailyUsd + "}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    private static HttpRequest post(URI base, String path, String json) {
        return request(base, path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    private static HttpRequest.Builder request(URI base, String path) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + TOKEN);
    }

    /** [id, tokens, status, settled_tokens, expires_at, held_usd, cost_usd] of every reservation charging the scope-day. */
    private static List<Object[]> chargedTo(Connection db, String kind, String id, LocalDate day) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(
                """
                SELECT r.id, r.tokens, r.status, r.settled_tokens, r.expires_at, r.held_usd, r.cost_usd
                  FROM budget_reservation r JOIN budget_charge c ON c.reservation_id = r.id
                 WHERE c.scope_kind = ? AND c.scope_id = ? AND c.day = ?
                """)) {
            query.setString(1, kind);
            query.setString(2, id);
            query.setObject(3, day);
            List<Object[]> rows = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    long settled = rs.getLong(4);
                    Long settledTokens = rs.wasNull() ? null : settled;
                    rows.add(new Object[] {
                        rs.getObject(1, UUID.class),
                        rs.getLong(2),
                        rs.getString(3),
                        settledTokens,
                        rs.getObject(5, OffsetDateTime.class).toInstant(),
                        rs.getBigDecimal(6),
                        rs.getBigDecimal(7)
                    });
                }
            }
            return rows;
        }
    }

    private static BigDecimal periodSettledUsd(Connection db, String kind, String id, LocalDate day)
            throws SQLException {
        try (PreparedStatement query = db.prepareStatement(
                "SELECT cost_usd FROM budget_period WHERE scope_kind = ? AND scope_id = ? AND day = ?")) {
            query.setString(1, kind);
            query.setString(2, id);
            query.setObject(3, day);
            try (ResultSet rs = query.executeQuery()) {
                assertThat(rs.next()).as("period row of %s:%s", kind, id).isTrue();
                return rs.getBigDecimal(1);
            }
        }
    }

    private static long periodSettled(Connection db, String kind, String id, LocalDate day) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(
                "SELECT settled FROM budget_period WHERE scope_kind = ? AND scope_id = ? AND day = ?")) {
            query.setString(1, kind);
            query.setString(2, id);
            query.setObject(3, day);
            try (ResultSet rs = query.executeQuery()) {
                assertThat(rs.next()).as("period row of %s:%s", kind, id).isTrue();
                return rs.getLong(1);
            }
        }
    }
}
