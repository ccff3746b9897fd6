package dev.loopline.bench.state;

import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.schemas.spec.LoopSpec;
import dev.loopline.testsupport.KafkaBroker;
import dev.loopline.testsupport.PostgresServer;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Load driver for the packaged state-service (not a timed test): starts a real Postgres and a real Kafka broker
 * (test-support), launches {@code quarkus-run.jar} against them, then measures
 *
 * <ol>
 *   <li>budget reservations per second from 8 concurrent HTTP clients (each reserving on its own loop and team,
 *       then on one shared team, where every reservation takes the same row lock), and
 *   <li>run-log ingestion: events per second from the first produced event until the last one is in Postgres.
 * </ol>
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.loopline.bench.state.StateLoad
 * state-service/target/quarkus-app/quarkus-run.jar [seconds-per-phase] [ticks]}
 */
public final class StateLoad {

    private static final int CLIENTS = 8;
    private static final int INGEST_ROUNDS = 3;
    private static final String RESERVATIONS = "/api/v1/budget/reservations";
    /**
     * STATE_LOAD_CLIENT=jdk drives the reservations with the JDK's HttpClient (the driver's client until session 4);
     * by default each client is a {@link KeepAliveClient}, which leaves the service more of the shared cores.
     */
    private static final boolean JDK_CLIENT = "jdk".equals(System.getenv("STATE_LOAD_CLIENT"));

    static final String SPEC_SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final String TOKEN = "bench-" + UUID.randomUUID();
    private static final List<String> TOPICS = List.of(
            "loopline.ticks", "loopline.proposals", "loopline.verdicts", "loopline.decisions", "loopline.completions");

    private StateLoad() {}

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "state-service/target/quarkus-app/quarkus-run.jar");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int ticks = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(
                    "no packaged state-service at " + jar + " (./mvnw -pl state-service -am package -DskipTests)");
        }
        System.out.printf(
                "machine: %d cores, load average %.1f (shared machine: figures vary with other work), HTTP %s%n",
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage(),
                "2".equals(System.getenv("STATE_LOAD_HTTP")) ? "2" : "1.1");
        try (PostgresServer postgres = PostgresServer.startTemporary();
                KafkaBroker kafka =
                        KafkaBroker.builder().numPartitions(4).build().start()) {
            kafka.createTopics(TOPICS.toArray(String[]::new));
            kafka.createTopics(1, "loopline.control", "loopline.dead-letters");
            String jdbc = postgres.createDatabase("state_bench");
            int port = freePort();
            Process service = launch(jar, jdbc, postgres, kafka.bootstrapServers(), port);
            try {
                URI base = URI.create("http://127.0.0.1:" + port);
                awaitReady(base, service);
                // STATE_LOAD_ONLY=ingest skips the reservation phases, =reservations the ingest rounds (to profile one)
                String only = System.getenv().getOrDefault("STATE_LOAD_ONLY", "");
                List<String> results = new ArrayList<>();
                if (!"ingest".equals(only)) {
                    // the JIT compiles the hot paths during the first seconds of load: warm up as long as a phase
                    runClients(
                            http(), base, "warm-" + UUID.randomUUID().toString().substring(0, 8), seconds, false);
                    results.add(String.format(
                            "reservations/s, 8 clients, own loop+team each : %,.0f (target >= 1,500)",
                            reservations(base, seconds, false)));
                    results.add(String.format(
                            "reservations/s, 8 clients, one shared team    : %,.0f",
                            reservations(base, seconds, true)));
                }
                if (!"reservations".equals(only)) {
                    // ingestion runs other code than reservations: a first round warms it up (the JIT compiles the
                    // consumer's path; printed as the cold figure), then measured rounds, reported by their median
                    double cold = ingest(kafka.bootstrapServers(), jdbc, postgres, ticks);
                    double[] rounds = new double[INGEST_ROUNDS];
                    for (int r = 0; r < rounds.length; r++) {
                        rounds[r] = ingest(kafka.bootstrapServers(), jdbc, postgres, ticks);
                    }
                    double[] sorted = rounds.clone();
                    java.util.Arrays.sort(sorted);
                    results.add(String.format("run-log ingest events/s, cold (warm-up round) : %,.0f", cold));
                    results.add(String.format(
                            "run-log ingest events/s (Kafka -> Postgres)   : %,.0f (target >= 2,000; median of %s)",
                            sorted[sorted.length / 2],
                            java.util.Arrays.stream(rounds)
                                    .mapToObj(r -> String.format("%,.0f", r))
                                    .collect(java.util.stream.Collectors.joining(", "))));
                }
                System.out.printf(
                        "%nRESULTS (load average now %.1f)%n",
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                                .getSystemLoadAverage());
                results.forEach(System.out::println);
            } finally {
                service.destroy();
                service.waitFor();
            }
        }
    }

    private static Process launch(Path jar, String jdbc, PostgresServer postgres, String bootstrap, int port)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        // extra JVM options for the service, e.g. a JFR recording to profile it:
        // STATE_LOAD_SERVICE_OPTS="-XX:StartFlightRecording=filename=bench/target/state.jfr,settings=profile"
        String extra =
                System.getenv().getOrDefault("STATE_LOAD_SERVICE_OPTS", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split(" ")));
        }
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(new File("bench/target/state-load-service.log"));
        builder.environment().put("QUARKUS_DATASOURCE_JDBC_URL", jdbc);
        builder.environment().put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
        builder.environment().put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        builder.environment().put("LOOPLINE_AUTH_TOKEN", TOKEN);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().put("QUARKUS_LOG_LEVEL", "WARN");
        Files.createDirectories(Path.of("bench", "target"));
        return builder.start();
    }

    private static void awaitReady(URI base, Process service) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("state-service exited; see bench/target/state-load-service.log");
            }
            try {
                HttpResponse<String> ready = http.send(
                        HttpRequest.newBuilder(base.resolve("/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("state-service not ready within 3 minutes");
    }

    /** Reservations per second over {@code seconds}, after a warm-up of a quarter of that (on other scopes). */
    private static double reservations(URI base, int seconds, boolean sharedTeam) throws Exception {
        HttpClient http = http();
        String run = UUID.randomUUID().toString().substring(0, 8);
        runClients(http, base, run + "w", Math.max(2, seconds / 4), sharedTeam);
        long count = runClients(http, base, run, seconds, sharedTeam);
        return count / (double) seconds;
    }

    private static HttpClient http() {
        // HTTP/1.1 by default, one connection per client thread, as the services' REST clients call; the JDK client's
        // own default (h2c upgrade, every client multiplexed on one HTTP/2 connection) with STATE_LOAD_HTTP=2
        HttpClient.Version version =
                "2".equals(System.getenv("STATE_LOAD_HTTP")) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1;
        return HttpClient.newBuilder().version(version).build();
    }

    private static long runClients(HttpClient http, URI base, String run, int seconds, boolean sharedTeam)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<Long>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            String loop = "bench-" + run + "-loop-" + c;
            String team = sharedTeam ? "bench-" + run + "-team" : "bench-" + run + "-team-" + c;
            String body = "{\"scopes\":[{\"kind\":\"loop\",\"id\":\"" + loop + "\"},{\"kind\":\"team\",\"id\":\"" + team
                    + "\"}],\"tokens\":10,\"ttlSeconds\":600}";
            if (JDK_CLIENT) {
                HttpRequest request = HttpRequest.newBuilder(base.resolve(RESERVATIONS))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
                clients.add(pool.submit(() -> {
                    long granted = 0;
                    while (!stop.get()) {
                        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                        granted += granted(response.statusCode());
                    }
                    return granted;
                }));
            } else {
                byte[] request = KeepAliveClient.post(base, RESERVATIONS, TOKEN, body);
                clients.add(pool.submit(() -> {
                    long granted = 0;
                    try (KeepAliveClient client = new KeepAliveClient(base)) {
                        while (!stop.get()) {
                            granted += granted(client.exchange(request));
                        }
                    }
                    return granted;
                }));
            }
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        long total = 0;
        for (Future<Long> client : clients) {
            total += client.get();
        }
        pool.shutdown();
        return total;
    }

    private static long granted(int status) {
        if (status != 201) {
            throw new IllegalStateException("reservation answered " + status);
        }
        return 1;
    }

    /** Produces {@code ticks} two-event ticks (trigger, completion) and times them into the run log. */
    private static double ingest(String bootstrap, String jdbc, PostgresServer postgres, int ticks) throws Exception {
        long before = count(jdbc, postgres);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        List<String> encoded = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> topics = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < ticks; i++) {
            String loop = "bench-loop-" + (i % 50);
            String tick = "bench-" + UUID.randomUUID();
            LoopSpec spec = spec(loop);
            for (Event event : List.of(
                    Event.of(
                            "bench",
                            now,
                            loop,
                            tick,
                            "bench",
                            0,
                            new TickTriggered(TickTriggered.Trigger.cadence(now), SPEC_SHA, spec)),
                    Event.of(
                            "bench",
                            now.plusSeconds(1),
                            loop,
                            tick,
                            "bench",
                            1,
                            new TickCompleted(TickCompleted.Outcome.NO_OP, 100, 1, "nothing to do", null, null)))) {
                encoded.add(EventCodec.encode(event));
                keys.add(loop);
                topics.add(TOPICS.get(event.eventType().ordinal()));
            }
        }
        long expected = before + encoded.size();
        long start = System.nanoTime();
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < encoded.size(); i++) {
                producer.send(new ProducerRecord<>(topics.get(i), keys.get(i), encoded.get(i)));
            }
            producer.flush();
        }
        double produced = (System.nanoTime() - start) / 1e9;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        long recorded;
        while ((recorded = count(jdbc, postgres)) < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + (recorded - before) + " of " + encoded.size() + " recorded");
            }
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "ingested %,d events in %.1f s (all of them in Kafka after %.1f s)%n",
                encoded.size(), seconds, produced);
        return encoded.size() / seconds;
    }

    private static long count(String jdbc, PostgresServer postgres) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbc, postgres.username(), postgres.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM run_event")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return 0; // not migrated yet
            }
            throw e;
        }
    }

    static LoopSpec spec(String loopId) {
        return LoopSpec.builder(
                        loopId,
                        LoopSpec.Kind.ASSISTED_FIX,
                        LoopSpec.Level.L1,
                        new LoopSpec.Target("/srv/repos/bench", "main"))
                .name("Bench loop")
                .team("bench")
                .cadence("5m")
                .priority(50)
                .paused(false)
                .task("Nothing, fast")
                .test(new LoopSpec.Test("true", 60))
                .maker(new LoopSpec.Maker("mock", null, null, null, 1200))
                .allowlist(new LoopSpec.Allowlist(List.of("docs/**"), List.of(), 5, 200))
                .budget(new LoopSpec.Budget(5000L, 100000L, 3))
                .build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
