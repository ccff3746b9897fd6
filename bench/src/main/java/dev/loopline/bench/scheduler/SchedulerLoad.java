package dev.loopline.bench.scheduler;

import com.sun.net.httpserver.HttpServer;
import dev.loopline.bench.ServiceProcess;
import dev.loopline.schemas.control.ControlSnapshot;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.events.InvalidEventException;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.schemas.json.Json;
import dev.loopline.testsupport.KafkaBroker;
import dev.loopline.testsupport.PostgresServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Load driver for the packaged scheduler-service (not a timed test): writes {@code loops} loop specs, starts a
 * real Postgres and a real Kafka broker (test-support) and the packaged {@code quarkus-run.jar} against them,
 * and plays the rest of the pipeline: every {@code tick.triggered} it reads is answered at once with a
 * {@code tick.completed} (no-op), so each loop runs again on its next cadence slot. It reports
 *
 * <ul>
 *   <li>trigger lateness: how long after its scheduled slot a cadence tick was published (the event's time) and
 *       read from Kafka by this driver, p50/p90/p99/max, after a warm-up;
 *   <li>triggers seen against the triggers the cadence asks for;
 *   <li>the scheduler's heap after a full GC and its resident set size, and its start-up time with every spec.
 * </ul>
 *
 * <p>Usage: {@code bench/scheduler-load.sh [loops=10000] [seconds=180] [cadence-seconds=60]}
 */
public final class SchedulerLoad {

    private static final String TOKEN = "bench-" + UUID.randomUUID();
    private static final int TEAMS = 20;

    private SchedulerLoad() {}

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "scheduler-service/target/quarkus-app/quarkus-run.jar");
        int loops = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 180;
        int cadence = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        int warmup = Math.max(cadence, 30);
        System.out.printf(
                "machine: %d cores, load average %.1f (shared machine: figures vary with other work)%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Path specs = writeSpecs(loops, cadence);
        try (PostgresServer postgres = PostgresServer.startTemporary();
                KafkaBroker kafka =
                        KafkaBroker.builder().numPartitions(4).build().start()) {
            kafka.createTopics("loopline.ticks", "loopline.completions");
            kafka.createTopics(1, "loopline.control", "loopline.dead-letters");
            String jdbc = postgres.createDatabase("scheduler_bench");
            HttpServer state = controlSnapshotServer();
            Pipeline pipeline = new Pipeline(kafka.bootstrapServers());
            Thread consumer = new Thread(pipeline, "pipeline");
            consumer.setUncaughtExceptionHandler((t, e) -> pipeline.failed(e));
            consumer.start();
            Map<String, String> env = new HashMap<>();
            env.put("LOOPLINE_SCHEDULER_SPEC_DIR", specs.toAbsolutePath().toString());
            env.put(
                    "LOOPLINE_SCHEDULER_STATE_URL",
                    "http://127.0.0.1:" + state.getAddress().getPort());
            env.put("LOOPLINE_SCHEDULER_FIRST_RUN_JITTER", cadence + "s");
            env.put("LOOPLINE_SCHEDULER_MAX_IN_FLIGHT", Integer.toString(loops * 2));
            env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbc);
            env.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
            env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
            env.put("LOOPLINE_AUTH_TOKEN", TOKEN);
            env.put("QUARKUS_LOG_LEVEL", "WARN");
            long startNanos = System.nanoTime();
            try (ServiceProcess scheduler =
                    ServiceProcess.start("scheduler-service", jar, env, List.of("-Xmx1g"), Duration.ofMinutes(5))) {
                double startup = (System.nanoTime() - startNanos) / 1e9;
                System.out.printf(
                        "scheduler ready with %,d specs in %.1f s; warming up %d s%n", loops, startup, warmup);
                Thread.sleep(warmup * 1000L);
                pipeline.measureFrom(Instant.now());
                System.out.printf("measuring %d s ...%n", seconds);
                Thread.sleep(seconds * 1000L);
                pipeline.stop();
                consumer.join();
                pipeline.rethrowFailure();
                long[] published = pipeline.publishLateness();
                long[] received = pipeline.receiveLateness();
                Memory memory = memory(scheduler.pid());
                long expected = (long) loops * seconds / cadence;
                System.out.printf("%nRESULTS (%,d loops, cadence %d s, %d s measured)%n", loops, cadence, seconds);
                System.out.printf(
                        "cadence triggers seen            : %,d (the cadence asks for about %,d)%n",
                        published.length, expected);
                System.out.printf("lateness, published (event time) : %s%n", percentiles(published));
                System.out.printf("lateness, read from Kafka        : %s (target p99 < 1 s)%n", percentiles(received));
                System.out.printf("duplicate triggers of one slot   : %,d%n", pipeline.duplicates());
                System.out.printf("start-up to ready, all specs     : %.1f s%n", startup);
                System.out.printf(
                        "scheduler heap after full GC     : %,d MiB; resident set %,d MiB%n",
                        memory.heapAfterGc() >> 20, memory.rss() >> 20);
            } finally {
                state.stop(0);
            }
        }
    }

    /**
     * Stands in for state-service's {@code GET /api/v1/control/snapshot}, which the scheduler polls before it
     * triggers anything: nothing killed, no budget alert. (The state-service's own load is measured by StateLoad.)
     */
    private static HttpServer controlSnapshotServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/control/snapshot", exchange -> {
            boolean authorized =
                    ("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = Json.mapper().writeValueAsBytes(new ControlSnapshot(Instant.now(), List.of(), List.of()));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (authorized) {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } else {
                exchange.sendResponseHeaders(401, -1);
            }
            exchange.close();
        });
        server.start();
        return server;
    }

    private static Path writeSpecs(int loops, int cadence) throws IOException {
        Path dir = Path.of("bench", "target", "scheduler-load-specs");
        if (Files.exists(dir)) {
            try (Stream<Path> old = Files.list(dir)) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        for (int i = 0; i < loops; i++) {
            String id = String.format("bench-%05d", i);
            Files.writeString(
                    dir.resolve(id + ".yaml"),
                    """
                    id: %s
                    team: team-%02d
                    kind: report
                    level: L1
                    cadence: %ds
                    priority: %d
                    target: {repo: /srv/repos/bench-%d.git, baseRef: main}
                    task: Summarise the week
                    test: {command: "true", timeoutSeconds: 60}
                    maker: {type: mock, tokensPerRun: 100}
                    budget: {tokensPerRun: 1000, dailyTokens: 100000, maxAttempts: 1}
                    """
                            .formatted(id, i % TEAMS, cadence, 50 * (i % 3 + 1), i % 500),
                    StandardCharsets.UTF_8);
        }
        return dir;
    }

    /** Reads every triggered tick, records its lateness, and completes it at once. */
    private static final class Pipeline implements Runnable {
        private final String bootstrap;
        private final AtomicBoolean stop = new AtomicBoolean();
        private volatile Instant measureFrom = Instant.MAX;
        private final List<Long> published = new ArrayList<>();
        private final List<Long> received = new ArrayList<>();
        private final Map<String, Instant> lastSlot = new HashMap<>();
        private long duplicates;

        Pipeline(String bootstrap) {
            this.bootstrap = bootstrap;
        }

        void measureFrom(Instant from) {
            measureFrom = from;
        }

        void stop() {
            stop.set(true);
        }

        private volatile Throwable failure;

        void failed(Throwable e) {
            failure = e;
        }

        void rethrowFailure() {
            if (failure != null) {
                throw new IllegalStateException("the pipeline thread failed", failure);
            }
        }

        @Override
        public void run() {
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-pipeline");
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
            try (KafkaConsumer<String, String> consumer =
                            new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
                    KafkaProducer<String, String> producer =
                            new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                consumer.subscribe(List.of("loopline.ticks"));
                while (!stop.get()) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        Instant now = Instant.now();
                        Event event;
                        try {
                            event = EventCodec.decode(record.value());
                        } catch (InvalidEventException e) {
                            throw new IllegalStateException("the scheduler published an invalid event", e);
                        }
                        TickTriggered triggered = event.dataAs(TickTriggered.class);
                        Instant slot = triggered.trigger().scheduledFor();
                        if (slot != null && !now.isBefore(measureFrom)) {
                            published.add(Duration.between(slot, event.time()).toMillis());
                            received.add(Duration.between(slot, now).toMillis());
                            if (slot.equals(lastSlot.put(event.loopId(), slot))) {
                                duplicates++;
                            }
                        }
                        Event done = Event.of(
                                "bench",
                                now,
                                event.loopId(),
                                event.tickId(),
                                event.team(),
                                0,
                                new TickCompleted(TickCompleted.Outcome.NO_OP, 0, 1, "bench", null, null));
                        producer.send(
                                new ProducerRecord<>("loopline.completions", event.loopId(), EventCodec.encode(done)));
                    }
                }
            }
        }

        long[] publishLateness() {
            return published.stream().mapToLong(Long::longValue).toArray();
        }

        long[] receiveLateness() {
            return received.stream().mapToLong(Long::longValue).toArray();
        }

        long duplicates() {
            return duplicates;
        }
    }

    private static String percentiles(long[] millis) {
        if (millis.length == 0) {
            return "no triggers";
        }
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        return String.format(
                "p50 %,d ms, p90 %,d ms, p99 %,d ms, max %,d ms",
                at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.99), sorted[sorted.length - 1]);
    }

    private static long at(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
    }

    private record Memory(long heapAfterGc, long rss) {}

    /** Forces a full GC in the scheduler (jcmd) and reads its heap use, and its resident set from /proc. */
    private static Memory memory(long pid) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        run(jcmd, Long.toString(pid), "GC.run");
        long heap = -1;
        for (String line : run(jcmd, Long.toString(pid), "GC.heap_info")) {
            int used = line.indexOf(" used ");
            if (line.contains("total") && used > 0 && heap < 0) {
                String kb = line.substring(used + 6).trim();
                heap = Long.parseLong(kb.substring(0, kb.indexOf('K'))) * 1024;
            }
        }
        long rss = -1;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.substring(6).trim().split(" ")[0]) * 1024;
            }
        }
        return new Memory(heap, rss);
    }

    private static List<String> run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .toList();
        p.waitFor();
        return lines;
    }
}
