package dev.loopline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.schemas.spec.LoopSpec;
import dev.loopline.testsupport.FreePorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Load driver for the dashboard (issue 14's quality figures), not part of the default test run: its name matches no
 * failsafe pattern, {@code bench/dashboard-load.sh} runs it. On the packaged local stack it
 *
 * <ol>
 *   <li>fills the run log with {@code TICKS} ticks (10,000 by default) straight through Kafka, then
 *   <li>times, in Debian's Chromium, a signed-in browser opening the ticks view: first contentful paint and the moment
 *       the first page of ticks is on screen, from navigation start, over several cold page loads, and
 *   <li>times run-log ingestion of a batch of ticks with no dashboard open and with 50 signed-in dashboards listening
 *       to the live stream, checking that each of the 50 received every event.
 * </ol>
 *
 * <p>Figures are printed, not asserted: a busy shared machine moves them; only the fan-out's completeness is checked.
 */
class DashboardLoadBench {

    private static final int TICKS = Integer.getInteger("bench.ticks", 10_000);
    private static final int BATCH = Integer.getInteger("bench.batch", 2_000);
    private static final int DASHBOARDS = Integer.getInteger("bench.dashboards", 50);
    private static final int PAGE_LOADS = 9;
    private static final String TEAM = "bench";

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void firstPaintWithTenThousandTicksAndIngestionUnderFiftyDashboards() throws Exception {
        Path base = Files.createDirectories(Path.of("target"))
                .toAbsolutePath()
                .resolve("dashboard-load-" + System.currentTimeMillis());
        Path specs = Files.createDirectories(base.resolve("specs"));
        int[] ports = FreePorts.pick(8);
        String token = LocalStack.newToken();
        try (LocalStack stack = LocalStack.start(new LocalStack.Options(
                Path.of(System.getProperty("loopline.root", "../.."))
                        .toAbsolutePath()
                        .normalize(),
                base,
                new StackPorts(ports[0], ports[1], ports[2], ports[3], ports[4], ports[5], ports[6], ports[7]),
                token,
                specs,
                line -> {}))) {
            StackClient client = new StackClient(token);
            String state = stack.url("state-service");
            String dashboard = stack.url("dashboard");
            List<String> results = new ArrayList<>();

            double seeded = ingest(stack, client, state, TICKS, "seed");
            results.add(String.format(Locale.ROOT, "seeded %,d ticks (%,.0f events/s)", TICKS, seeded));

            double[][] paints = firstPaint(dashboard, token);
            results.add(summary("first contentful paint, ms     ", paints[0]));
            results.add(summary("first page of ticks shown, ms  ", paints[1]));

            Map<String, ProcessHandle> processes = processes(stack);
            Map<String, Duration> cpuAtStart = cpu(processes);
            double quiet = ingest(stack, client, state, BATCH, "quiet");
            Map<String, Duration> quietCpu = since(cpuAtStart, cpu(processes));
            List<Listener> listeners = new ArrayList<>();
            for (int i = 0; i < DASHBOARDS; i++) {
                listeners.add(listen(dashboard, token));
            }
            // a fresh stream first replays what the dashboard still holds: let that settle, then count per listener
            Thread.sleep(3_000);
            long[] before = listeners.stream().mapToLong(l -> l.events.get()).toArray();
            Map<String, Duration> cpuBeforeBusy = cpu(processes);
            double busy = ingest(stack, client, state, BATCH, "busy");
            long expected = 2L * BATCH;
            long[] received = new long[listeners.size()];
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            do {
                Thread.sleep(200);
                for (int i = 0; i < received.length; i++) {
                    received[i] = listeners.get(i).events.get() - before[i];
                }
            } while (Arrays.stream(received).anyMatch(n -> n < expected) && System.nanoTime() < deadline);
            Map<String, Duration> busyCpu = since(cpuBeforeBusy, cpu(processes));
            listeners.forEach(Listener::close);
            results.add(String.format(
                    Locale.ROOT, "ingest events/s, no dashboard open     : %,.0f (%,d ticks)", quiet, BATCH));
            results.add(String.format(
                    Locale.ROOT,
                    "ingest events/s, %d dashboards streaming: %,.0f (%.0f %% of the quiet rate)",
                    DASHBOARDS,
                    busy,
                    100 * busy / quiet));
            // where the cores went: the readers stand in for 50 browsers, which run on the users' machines
            results.add("CPU ms per 1,000 ingested events, quiet -> with " + DASHBOARDS + " dashboards:");
            processes
                    .keySet()
                    .forEach(name -> results.add(String.format(
                            Locale.ROOT,
                            "  %-28s %,7.0f -> %,7.0f",
                            name,
                            quietCpu.get(name).toMillis() * 1_000.0 / expected,
                            busyCpu.get(name).toMillis() * 1_000.0 / expected)));
            results.add(String.format(
                    Locale.ROOT,
                    "dashboard CPU per event per open dashboard: %.1f µs",
                    (busyCpu.get("dashboard").toNanos()
                                    - quietCpu.get("dashboard").toNanos())
                            / 1_000.0
                            / expected
                            / DASHBOARDS));
            results.add("events each dashboard received of the batch's " + expected + ": min "
                    + Arrays.stream(received).min().orElse(0) + ", max "
                    + Arrays.stream(received).max().orElse(0));
            System.out.printf(
                    "%nDASHBOARD LOAD (%d cores, load average %.1f)%n",
                    Runtime.getRuntime().availableProcessors(),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                            .getSystemLoadAverage());
            results.forEach(System.out::println);
            assertThat(Arrays.stream(received).min().orElse(0))
                    .as("every open dashboard received every live event of the batch")
                    .isGreaterThanOrEqualTo(expected);
        }
    }

    /** The processes whose CPU the bench attributes: the services, the broker, Postgres, and this JVM (readers). */
    private static Map<String, ProcessHandle> processes(LocalStack stack) {
        Map<String, ProcessHandle> processes = new LinkedHashMap<>();
        for (String service : List.of(
                "state-service", "dashboard", "scheduler-service", "agent-service", "guard-service", "gate-service")) {
            processes.put(service, ProcessHandle.of(stack.pid(service)).orElseThrow());
        }
        processes.put("kafka", stack.kafka().processHandle());
        processes.put("postgres (all backends)", stack.postgres().processHandle());
        processes.put("bench JVM (the 50 readers)", ProcessHandle.current());
        return processes;
    }

    /** CPU used so far by each process and, for Postgres, its backends. */
    private static Map<String, Duration> cpu(Map<String, ProcessHandle> processes) {
        Map<String, Duration> cpu = new LinkedHashMap<>();
        processes.forEach((name, process) -> cpu.put(
                name,
                Stream.concat(Stream.of(process), process.descendants())
                        .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                        .reduce(Duration.ZERO, Duration::plus)));
        return cpu;
    }

    private static Map<String, Duration> since(Map<String, Duration> before, Map<String, Duration> after) {
        Map<String, Duration> used = new LinkedHashMap<>();
        after.forEach((name, total) -> used.put(name, total.minus(before.get(name))));
        return used;
    }

    /** Cold page loads of the ticks view, signed in: [first contentful paint][first ticks on screen], ms each. */
    private static double[][] firstPaint(String dashboard, String token) {
        double[] fcp = new double[PAGE_LOADS];
        double[] rows = new double[PAGE_LOADS];
        try (DashboardBrowser browser = new DashboardBrowser(dashboard)) {
            for (int i = 0; i < PAGE_LOADS; i++) {
                Page page = browser.signIn(token);
                // a cold load: the session cookie stays, the page and its data come fresh
                page.navigate(dashboard + "/#/ticks");
                page.reload();
                page.locator("#ticks tr[data-tick]").first().waitFor();
                rows[i] = ((Number) page.evaluate("performance.now()")).doubleValue();
                fcp[i] = ((Number) page.evaluate("(performance.getEntriesByName('first-contentful-paint')[0] || {})"
                                + ".startTime || -1"))
                        .doubleValue();
                page.context().close();
            }
        }
        return new double[][] {fcp, rows};
    }

    private static String summary(String what, double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return String.format(
                Locale.ROOT,
                "%s: median %.0f, max %.0f (of %d loads)",
                what,
                sorted[sorted.length / 2],
                sorted[sorted.length - 1],
                sorted.length);
    }

    /** Produces {@code ticks} two-event ticks and returns events/s until state-service lists them all. */
    private double ingest(LocalStack stack, StackClient client, String state, int ticks, String run) throws Exception {
        long before = tickCount(client, state);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        Instant now = Instant.now();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < ticks; i++) {
            String loop = "bench-" + (i % 20);
            String tick = "bench-" + run + "-" + UUID.randomUUID();
            records.add(new ProducerRecord<>(
                    "loopline.ticks",
                    loop,
                    EventCodec.encode(Event.of(
                            "bench",
                            now,
                            loop,
                            tick,
                            TEAM,
                            0,
                            new TickTriggered(TickTriggered.Trigger.cadence(now), "0".repeat(64), spec(loop))))));
            records.add(new ProducerRecord<>(
                    "loopline.completions",
                    loop,
                    EventCodec.encode(Event.of(
                            "bench",
                            now.plusSeconds(1),
                            loop,
                            tick,
                            TEAM,
                            1,
                            new TickCompleted(TickCompleted.Outcome.NO_OP, 100, 1, "nothing to do", null, null)))));
        }
        long start = System.nanoTime();
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            records.forEach(producer::send);
            producer.flush();
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (tickCount(client, state) < before + ticks) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the run log did not list the " + run + " ticks within 10 minutes");
            }
            Thread.sleep(100);
        }
        return records.size() / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * Ticks of the bench team in the run log, from state-service's loop summaries; while some loop's last tick still
     * runs (its completion not in yet), one less than that, so a batch counts as ingested only when it is whole.
     */
    private static long tickCount(StackClient client, String state) {
        StackClient.Answer loops = client.get(state + "/api/v1/loops?team=" + TEAM);
        long n = 0;
        for (JsonNode loop : loops.body()) {
            n += loop.path("tickCount").asLong();
            if ("running".equals(loop.path("lastStatus").asText())) {
                n--;
            }
        }
        return n;
    }

    /** One signed-in dashboard listening to the live stream, counting the events it receives. */
    private final class Listener implements AutoCloseable {
        final AtomicLong events = new AtomicLong();
        private final Thread reader;
        private volatile InputStream body;

        Listener(String dashboard, String session) {
            reader = new Thread(() -> {
                try {
                    HttpResponse<InputStream> stream = http.send(
                            HttpRequest.newBuilder(URI.create(dashboard + "/api/v1/stream"))
                                    .header("Cookie", "loopline_session=" + session)
                                    .header("Accept", "text/event-stream")
                                    .build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    body = stream.body();
                    BufferedReader lines =
                            new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (line.startsWith("data:")) {
                            events.incrementAndGet();
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    // closed
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        @Override
        public void close() {
            try {
                if (body != null) {
                    body.close();
                }
            } catch (IOException e) {
                // closing anyway
            }
            reader.interrupt();
        }
    }

    private Listener listen(String dashboard, String token) throws Exception {
        HttpResponse<String> pre = http.send(
                HttpRequest.newBuilder(URI.create(dashboard + "/auth/session")).build(),
                HttpResponse.BodyHandlers.ofString());
        String csrf = cookie(pre, "loopline_csrf");
        HttpResponse<String> signedIn = http.send(
                HttpRequest.newBuilder(URI.create(dashboard + "/auth/sign-in"))
                        .header("Cookie", "loopline_csrf=" + csrf)
                        .header("X-CSRF-Token", csrf)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
        return new Listener(dashboard, cookie(signedIn, "loopline_session"));
    }

    private static String cookie(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(name + "=") && !c.contains("Max-Age=0"))
                .map(c -> c.substring(name.length() + 1, c.indexOf(';')))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + name + " cookie"));
    }

    private static LoopSpec spec(String loopId) {
        return LoopSpec.builder(
                        loopId,
                        LoopSpec.Kind.ASSISTED_FIX,
                        LoopSpec.Level.L1,
                        new LoopSpec.Target("/srv/repos/bench", "main"))
                .name("Bench loop")
                .team(TEAM)
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
}
