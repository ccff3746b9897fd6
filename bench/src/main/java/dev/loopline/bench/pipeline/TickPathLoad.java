package dev.loopline.bench.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.core.io.Git;
import dev.loopline.local.LocalStack;
import dev.loopline.local.StackClient;
import dev.loopline.local.StackPorts;
import dev.loopline.testsupport.FreePorts;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Load driver for the tick path (not a timed test): starts the packaged local stack (a real Kafka broker, a real
 * Postgres, every service as its own JVM, as {@code ./loopline up} does), gives it {@code loops} L2 loops with the
 * mock maker, each on its own copy of the sample repository (so no two ticks wait for one repository), and triggers
 * mock ticks at a fixed rate through the scheduler's API. Each tick's timeline is then read from state-service, and
 * the driver reports, after a warm-up, the end-to-end time (triggered to completed, by the events' own times) and the
 * time of each stage:
 *
 * <ul>
 *   <li>agent: {@code tick.triggered} to {@code change.proposed} (queueing, worktree, maker, diff);
 *   <li>guard: {@code change.proposed} to {@code change.verified} (clean checkout, patch, sandboxed tests, scanners);
 *   <li>gate: {@code change.verified} to {@code change.decided} (commit, push, decision);
 *   <li>completion: {@code change.decided} to {@code tick.completed} (the agent ends the tick).
 * </ul>
 *
 * <p>Usage: {@code bench/tick-path.sh [ticks-per-second=2] [seconds=120] [loops=8]}
 */
public final class TickPathLoad {

    private static final List<String> STAGES = List.of(
            "loopline.tick.triggered",
            "loopline.change.proposed",
            "loopline.change.verified",
            "loopline.change.decided",
            "loopline.tick.completed");
    private static final List<String> STAGE_NAMES = List.of("agent", "guard", "gate", "completion");

    private TickPathLoad() {}

    record Triggered(String tickId, Instant asked, boolean warmUp) {}

    public static void main(String[] args) throws Exception {
        double rate = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        int loops = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int warmUpSeconds = Math.max(20, seconds / 5);
        Path root = Path.of("").toAbsolutePath();
        Path base = root.resolve("bench/target/tick-path");
        deleteTree(base);
        Path specs = Files.createDirectories(base.resolve("specs"));
        Path repos = base.resolve("repos");
        for (int i = 0; i < loops; i++) {
            Files.writeString(specs.resolve("path-" + i + ".yaml"), spec(i, repos.resolve("path-" + i + ".git")));
        }
        System.out.printf(
                "machine: %d cores, load average %.1f (shared machine: figures vary with other work)%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf(
                "tick path: %.1f ticks/s for %d s (first %d s are warm-up), %d L2 mock loops%n",
                rate, seconds, warmUpSeconds, loops);
        String token = LocalStack.newToken();
        int[] ports = FreePorts.pick(8);
        StackPorts stackPorts =
                new StackPorts(ports[0], ports[1], ports[2], ports[3], ports[4], ports[5], ports[6], ports[7]);
        try (LocalStack stack = LocalStack.start(new LocalStack.Options(
                root, base, stackPorts, token, specs, line -> System.out.println("  stack: " + line)))) {
            Git git = new Git();
            for (int i = 0; i < loops; i++) {
                git.run(
                        base,
                        "clone",
                        "--bare",
                        "--quiet",
                        stack.sampleRepository().toString(),
                        repos.resolve("path-" + i + ".git").toString());
            }
            StackClient client = new StackClient(token);
            List<Triggered> triggered = drive(stack, client, rate, seconds, warmUpSeconds, loops);
            Map<String, JsonNode> done = awaitAll(stack, client, triggered, Duration.ofMinutes(3));
            report(triggered, done, rate);
        }
    }

    private static String spec(int i, Path repo) {
        return """
                id: path-%d
                team: bench
                kind: assisted-fix
                level: L2
                target: {repo: %s, baseRef: main}
                task: Touch the greeting
                test: {command: sh test.sh, timeoutSeconds: 60}
                maker:
                  type: mock
                  tokensPerRun: 500
                  edits:
                    - {path: src/greeting.txt, write: "hello from tick {{tick}}\\n"}
                budget: {tokensPerRun: 5000, dailyTokens: 100000000, maxAttempts: 1}
                """
                .formatted(i, repo);
    }

    /** Triggers at the given rate, round robin over the loops, skipping a loop whose last tick is still running. */
    private static List<Triggered> drive(
            LocalStack stack, StackClient client, double rate, int seconds, int warmUpSeconds, int loops)
            throws InterruptedException {
        List<Triggered> triggered = new ArrayList<>();
        long periodNanos = (long) (1_000_000_000L / rate);
        long start = System.nanoTime();
        long next = start;
        int loop = 0;
        int refused = 0;
        int notAdmitted = 0;
        String scheduler = stack.url("scheduler-service");
        while (System.nanoTime() - start < seconds * 1_000_000_000L) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            next += periodNanos;
            boolean sent = false;
            boolean admitted = true;
            for (int tries = 0; tries < loops && !sent && admitted; tries++) {
                String id = "path-" + loop;
                loop = (loop + 1) % loops;
                Instant asked = Instant.now();
                StackClient.Answer answer =
                        client.post(scheduler + "/api/v1/loops/" + id + "/ticks", "{\"by\":\"bench\"}");
                boolean warmUp = System.nanoTime() - start < warmUpSeconds * 1_000_000_000L;
                if (answer.status() == 202) {
                    triggered.add(new Triggered(answer.body().path("tickId").asText(), asked, warmUp));
                    sent = true;
                } else if (answer.status() == 503 && warmUp) {
                    // admission not confirmed yet (the scheduler's first read of the control board): the slot is
                    // lost, as a real trigger's would be, and the warm-up goes on
                    notAdmitted++;
                    admitted = false;
                } else if (answer.status() != 409) {
                    throw new IllegalStateException(
                            "trigger " + id + " answered " + answer.status() + ": " + answer.body());
                }
            }
            if (!sent && admitted) {
                refused++;
            }
        }
        System.out.printf(
                "triggered %d ticks; %d slots found every loop still busy (the pipeline did not keep up)"
                        + "; %d warm-up slots not admitted yet (503)%n",
                triggered.size(), refused, notAdmitted);
        return triggered;
    }

    private static Map<String, JsonNode> awaitAll(
            LocalStack stack, StackClient client, List<Triggered> triggered, Duration timeout)
            throws InterruptedException {
        Map<String, JsonNode> done = new ConcurrentHashMap<>();
        Instant deadline = Instant.now().plus(timeout);
        String state = stack.url("state-service");
        while (done.size() < triggered.size() && Instant.now().isBefore(deadline)) {
            for (Triggered t : triggered) {
                if (done.containsKey(t.tickId())) {
                    continue;
                }
                StackClient.Answer detail = client.get(state + "/api/v1/ticks/" + t.tickId());
                if (detail.status() == 200 && detail.body().hasNonNull("outcome")) {
                    done.put(t.tickId(), detail.body());
                }
            }
            Thread.sleep(500);
        }
        if (done.size() < triggered.size()) {
            System.out.printf("%d ticks did not complete within %s%n", triggered.size() - done.size(), timeout);
        }
        return done;
    }

    private static void report(List<Triggered> triggered, Map<String, JsonNode> done, double rate) {
        List<Long> endToEnd = new ArrayList<>();
        Map<String, List<Long>> stages = new LinkedHashMap<>();
        STAGE_NAMES.forEach(name -> stages.put(name, new ArrayList<>()));
        Map<String, Integer> outcomes = new HashMap<>();
        int measured = 0;
        for (Triggered t : triggered) {
            JsonNode tick = done.get(t.tickId());
            if (tick == null || t.warmUp()) {
                continue;
            }
            measured++;
            outcomes.merge(tick.path("outcome").asText(), 1, Integer::sum);
            Map<String, Instant> first = new HashMap<>();
            for (JsonNode step : tick.path("timeline")) {
                first.putIfAbsent(
                        step.path("type").asText(),
                        Instant.parse(step.path("time").asText()));
            }
            Instant from = first.get(STAGES.get(0));
            Instant to = first.get(STAGES.get(STAGES.size() - 1));
            if (from != null && to != null) {
                endToEnd.add(Duration.between(from, to).toMillis());
            }
            for (int i = 0; i < STAGE_NAMES.size(); i++) {
                Instant a = first.get(STAGES.get(i));
                Instant b = first.get(STAGES.get(i + 1));
                if (a != null && b != null) {
                    stages.get(STAGE_NAMES.get(i)).add(Duration.between(a, b).toMillis());
                }
            }
        }
        System.out.printf(
                "%nmeasured %d ticks after the warm-up at %.1f ticks/s; outcomes %s%n", measured, rate, outcomes);
        System.out.println(row("end to end", endToEnd));
        stages.forEach((name, values) -> System.out.println(row("  " + name, values)));
        System.out.printf(
                "load average at the end %.1f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static String row(String name, List<Long> millis) {
        if (millis.isEmpty()) {
            return String.format("%-14s no samples", name);
        }
        List<Long> sorted = millis.stream().sorted().toList();
        return String.format(
                "%-14s p50 %5d ms  p90 %5d ms  p99 %5d ms  max %5d ms  (n=%d)",
                name, pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), sorted.get(sorted.size() - 1), sorted.size());
    }

    private static long pct(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
