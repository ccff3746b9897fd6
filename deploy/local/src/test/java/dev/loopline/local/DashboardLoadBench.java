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
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
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
import java.util.stream.Collectors;
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
 *   <li>after a warm-up batch with the dashboards open (so the measured rounds run JIT-compiled code), times run-log
 *       ingestion of a batch of ticks with no dashboard open, with one, and with 50 signed-in dashboards listening to
 *       the live stream, {@code bench.repeats} times interleaved (3 by default; the medians are printed), checking
 *       that each dashboard received every event, and prints the CPU each process used.
 * </ol>
 *
 * <p>Figures are printed, not asserted: a busy shared machine moves them; only the fan-out's completeness is checked.
 */
class DashboardLoadBench {

    private static final int TICKS = Integer.getInteger("bench.ticks", 10_000);
    private static final int BATCH = Integer.getInteger("bench.batch", 2_000);
    /** How often the rounds with 0, 1 and 50 dashboards are run, interleaved, so drift hits each the same. */
    private static final int REPEATS = Integer.getInteger("bench.repeats", 3);

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

            // a warm-up round with the dashboards open, so both measured rounds run compiled code, not the JIT
            List<Listener> warmUp = listen(dashboard, token, DASHBOARDS);
            ingest(stack, client, state, BATCH / 2, "warm-up");
            warmUp.forEach(Listener::close);

            Map<String, ProcessHandle> processes = processes(stack);
            List<Round> quiet = new ArrayList<>();
            List<Round> one = new ArrayList<>();
            List<Round> many = new ArrayList<>();
            for (int r = 0; r < REPEATS; r++) {
                quiet.add(round(stack, client, state, dashboard, token, processes, 0));
                one.add(round(stack, client, state, dashboard, token, processes, 1));
                many.add(round(stack, client, state, dashboard, token, processes, DASHBOARDS));
            }
            long expected = 2L * BATCH;
            results.add(String.format(
                    Locale.ROOT,
                    "ingest events/s, no dashboard open      : %,.0f median of %d rounds of %,d ticks %s",
                    median(rates(quiet)),
                    REPEATS,
                    BATCH,
                    listed(rates(quiet), "%,.0f")));
            for (List<Round> rounds : List.of(one, many)) {
                // each round against the quiet round just before it, so a machine that slows down or speeds up
                // during the run moves both alike
                double[] ratios = new double[REPEATS];
                for (int r = 0; r < REPEATS; r++) {
                    ratios[r] = 100 * rounds.get(r).rate / quiet.get(r).rate;
                }
                results.add(String.format(
                        Locale.ROOT,
                        "ingest events/s, %2d dashboard(s) streaming: %,.0f median; %.0f %% of the quiet rate (median"
                                + " of the rounds' ratios %s)",
                        rounds.get(0).dashboards,
                        median(rates(rounds)),
                        median(ratios),
                        listed(ratios, "%.0f")));
            }
            Round quietAll = Round.pooled(quiet);
            Round oneAll = Round.pooled(one);
            Round manyAll = Round.pooled(many);
            // where the cores went: the readers stand in for browsers, which run on the users' machines
            results.add("CPU ms per 1,000 ingested events, with 0 -> 1 -> " + DASHBOARDS + " dashboards:");
            processes
                    .keySet()
                    .forEach(name -> results.add(String.format(
                            Locale.ROOT,
                            "  %-28s %,7.0f -> %,7.0f -> %,7.0f",
                            name,
                            quietAll.cpuPerThousand(name),
                            oneAll.cpuPerThousand(name),
                            manyAll.cpuPerThousand(name))));
            results.add(String.format(
                    Locale.ROOT,
                    "  %-28s %,7.0f -> %,7.0f -> %,7.0f",
                    "the stack (all but the bench)",
                    quietAll.stackCpuPerThousand(),
                    oneAll.stackCpuPerThousand(),
                    manyAll.stackCpuPerThousand()));
            // the first dashboard opens the one upstream stream; every further one costs only its fan-out
            results.add(String.format(
                    Locale.ROOT,
                    "dashboard CPU per event: %.1f µs with 1 open; each further open dashboard adds %.1f µs",
                    (oneAll.cpuPerThousand("dashboard") - quietAll.cpuPerThousand("dashboard")),
                    (manyAll.cpuPerThousand("dashboard") - oneAll.cpuPerThousand("dashboard")) / (DASHBOARDS - 1)));
            results.add(String.format(
                    Locale.ROOT,
                    "state-service's live stream thread, µs CPU per event: %.1f with none open (the watermark),"
                            + " %.1f with 1, %.1f with %d",
                    quietAll.streamThread.toNanos() / 1e3 / quietAll.events,
                    oneAll.streamThread.toNanos() / 1e3 / oneAll.events,
                    manyAll.streamThread.toNanos() / 1e3 / manyAll.events,
                    DASHBOARDS));
            results.add("events each dashboard received of each batch's " + expected + ": min " + manyAll.minReceived
                    + ", max " + manyAll.maxReceived);
            System.out.printf(
                    "%nDASHBOARD LOAD (%d cores, load average %.1f)%n",
                    Runtime.getRuntime().availableProcessors(),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                            .getSystemLoadAverage());
            results.forEach(System.out::println);
            assertThat(Math.min(oneAll.minReceived, manyAll.minReceived))
                    .as("every open dashboard received every live event of the batch")
                    .isGreaterThanOrEqualTo(expected);
        }
    }

    /** One measured batch: its ingest rate, the CPU each process used, and what the least and most served got. */
    private record Round(
            int dashboards,
            double rate,
            Map<String, Duration> cpu,
            Duration streamThread,
            long events,
            long minReceived,
            long maxReceived) {

        /** CPU ms of {@code process} per 1,000 ingested events. */
        double cpuPerThousand(String process) {
            return cpu.get(process).toNanos() / 1e6 * 1_000.0 / events;
        }

        /** CPU ms of every process but the bench JVM per 1,000 ingested events. */
        double stackCpuPerThousand() {
            return cpu.keySet().stream()
                    .filter(name -> !name.startsWith("bench"))
                    .mapToDouble(this::cpuPerThousand)
                    .sum();
        }

        /** Rounds with the same dashboards as one: their CPU and events summed, the median rate, the extremes. */
        static Round pooled(List<Round> rounds) {
            Map<String, Duration> cpu = new LinkedHashMap<>();
            rounds.forEach(r -> r.cpu.forEach((name, used) -> cpu.merge(name, used, Duration::plus)));
            return new Round(
                    rounds.get(0).dashboards,
                    median(rates(rounds)),
                    cpu,
                    rounds.stream().map(Round::streamThread).reduce(Duration.ZERO, Duration::plus),
                    rounds.stream().mapToLong(Round::events).sum(),
                    rounds.stream().mapToLong(Round::minReceived).min().orElseThrow(),
                    rounds.stream().mapToLong(Round::maxReceived).max().orElseThrow());
        }
    }

    private static double[] rates(List<Round> rounds) {
        return rounds.stream().mapToDouble(Round::rate).toArray();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String listed(double[] values, String format) {
        return Arrays.stream(values)
                .mapToObj(v -> String.format(Locale.ROOT, format, v))
                .collect(Collectors.joining(", ", "(", ")"));
    }

    /** Ingests a batch with {@code dashboards} listening and counts what each received of it. */
    private Round round(
            LocalStack stack,
            StackClient client,
            String state,
            String dashboard,
            String token,
            Map<String, ProcessHandle> processes,
            int dashboards)
            throws Exception {
        List<Listener> listeners = listen(dashboard, token, dashboards);
        if (dashboards > 0) {
            // a fresh stream first replays what the dashboard still holds: let that settle, then count per listener
            Thread.sleep(3_000);
        }
        long[] before = listeners.stream().mapToLong(l -> l.events.get()).toArray();
        Map<String, Duration> cpuBefore = cpu(processes);
        Duration streamBefore = threadCpu(processes.get("state-service"), STREAM_THREAD);
        double rate = ingest(stack, client, state, BATCH, "dashboards-" + dashboards);
        long expected = 2L * BATCH;
        long[] received = new long[listeners.size()];
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (dashboards > 0 && System.nanoTime() < deadline) {
            for (int i = 0; i < received.length; i++) {
                received[i] = listeners.get(i).events.get() - before[i];
            }
            if (Arrays.stream(received).allMatch(n -> n >= expected)) {
                break;
            }
            Thread.sleep(200);
        }
        Map<String, Duration> used = since(cpuBefore, cpu(processes));
        Duration streamUsed =
                threadCpu(processes.get("state-service"), STREAM_THREAD).minus(streamBefore);
        listeners.forEach(Listener::close);
        return new Round(
                dashboards,
                rate,
                used,
                streamUsed,
                expected,
                Arrays.stream(received).min().orElse(expected),
                Arrays.stream(received).max().orElse(expected));
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

    /** State-service's live stream thread, as Linux names it ({@code comm} keeps 15 characters). */
    private static final String STREAM_THREAD = "run-event-strea";

    /**
     * CPU used so far by the threads of {@code process} named {@code name}, from {@code /proc} (Linux); zero where
     * there is no {@code /proc}.
     */
    private static Duration threadCpu(ProcessHandle process, String name) {
        Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
        long ticks = 0;
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : threads.toList()) {
                try {
                    if (Files.readString(thread.resolve("comm")).strip().equals(name)) {
                        // utime and stime: fields 14 and 15, counted after the ")" that ends the name (field 2)
                        String stat = Files.readString(thread.resolve("stat"));
                        String[] fields =
                                stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(ticks * 1_000_000_000L / CLOCK_TICKS);
    }

    /** Clock ticks per second of {@code /proc}'s CPU times ({@code getconf CLK_TCK}; 100 on Linux here). */
    private static final long CLOCK_TICKS = clockTicks();

    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            return getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
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

    /**
     * One signed-in dashboard listening to the live stream, counting the events it receives: a plain socket that
     * counts the lines starting {@code id:} as the bytes pass, without decoding them. The readers stand in for
     * browsers that run on other machines, so they should take as little of this machine's CPU as a reader can; the
     * bench prints what they took all the same.
     */
    private static final class Listener implements AutoCloseable {
        final AtomicLong events = new AtomicLong();
        private final Socket socket;
        private final Thread reader;

        Listener(String dashboard, String session) throws IOException {
            URI uri = URI.create(dashboard);
            socket = new Socket(uri.getHost(), uri.getPort());
            socket.getOutputStream()
                    .write(("GET /api/v1/stream HTTP/1.1\r\nHost: " + uri.getAuthority()
                                    + "\r\nCookie: loopline_session=" + session
                                    + "\r\nAccept: text/event-stream\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            reader = new Thread(this::count, "bench-dashboard-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** Counts lines that start with "id:" (chunk-size lines are hex, frames are whole within a chunk). */
        private void count() {
            byte[] buffer = new byte[1 << 16];
            int matched = 0; // how much of "\nid:" the bytes just read end with
            try (InputStream in = socket.getInputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    for (int i = 0; i < n; i++) {
                        byte b = buffer[i];
                        matched = b == ID_LINE[matched] ? matched + 1 : (b == '\n' ? 1 : 0);
                        if (matched == ID_LINE.length) {
                            events.incrementAndGet();
                            matched = 0;
                        }
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }

        private static final byte[] ID_LINE = "\nid:".getBytes(StandardCharsets.US_ASCII);

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
            reader.interrupt();
        }
    }

    private List<Listener> listen(String dashboard, String token, int count) throws Exception {
        List<Listener> listeners = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            listeners.add(listen(dashboard, token));
        }
        return listeners;
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
