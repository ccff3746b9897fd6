package dev.loopline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.core.io.Git;
import dev.loopline.testsupport.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Chaos on the packaged stack: under a steady stream of mock ticks, every service is killed with SIGKILL in turn while
 * ticks are in flight (the local stack's supervisor restarts it, as Kubernetes restarts a pod), then the broker and
 * Postgres are restarted once each. Afterwards every tick has ended exactly once, every tick's run log is whole and
 * without duplicates, no tick was merged twice, and the ledger charged each maker run once with nothing left held.
 */
class ChaosIT {

    private static final List<String> SERVICES =
            List.of("agent-service", "guard-service", "gate-service", "state-service", "scheduler-service");
    private static final int L2_LOOPS = 2;
    private static final int L3_LOOPS = 2;
    private static final String TEAM = "chaos";
    private static final long TOKENS_PER_RUN = 500;

    /** Not a JUnit temp dir: the services' logs must outlive a failed run. */
    private static Path base;

    private static LocalStack stack;
    private static StackClient client;
    private static final Git GIT = new Git();

    @BeforeAll
    static void startStack() throws IOException {
        base = Files.createDirectories(Path.of("target"))
                .toAbsolutePath()
                .resolve("chaos-" + System.currentTimeMillis());
        Path specs = Files.createDirectories(base.resolve("specs"));
        for (int i = 0; i < L2_LOOPS + L3_LOOPS; i++) {
            boolean l3 = i >= L2_LOOPS;
            Files.writeString(
                    specs.resolve(loop(i) + ".yaml"),
                    """
                    id: %s
                    team: %s
                    kind: assisted-fix
                    level: %s
                    target: {repo: %s, baseRef: main}
                    task: Touch the greeting
                    test: {command: sh test.sh, timeoutSeconds: 60}
                    maker:
                      type: mock
                      tokensPerRun: %d
                      edits:
                        - {path: src/greeting.txt, write: "hello from tick {{tick}}\\n"}
                    %s
                    budget: {tokensPerRun: 5000, dailyTokens: 100000000, maxAttempts: 1}
                    """
                            .formatted(
                                    loop(i),
                                    TEAM,
                                    l3 ? "L3" : "L2",
                                    repo(i),
                                    TOKENS_PER_RUN,
                                    l3 ? "allowlist: {allow: [\"src/**\"], maxFiles: 2, maxLines: 10}" : ""));
        }
        int[] ports = FreePorts.pick(8);
        String token = LocalStack.newToken();
        stack = LocalStack.start(new LocalStack.Options(
                Path.of(System.getProperty("loopline.root", "../.."))
                        .toAbsolutePath()
                        .normalize(),
                base,
                new StackPorts(ports[0], ports[1], ports[2], ports[3], ports[4], ports[5], ports[6], ports[7]),
                token,
                specs,
                line -> System.out.println("[chaos stack] " + line)));
        client = new StackClient(token);
        for (int i = 0; i < L2_LOOPS + L3_LOOPS; i++) {
            GIT.run(base, "clone", "--bare", "--quiet", stack.sampleRepository().toString(), repo(i).toString());
        }
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    private static String loop(int i) {
        return "chaos-" + i;
    }

    private static Path repo(int i) {
        return base.resolve("repos").resolve(loop(i) + ".git");
    }

    @Test
    void everyTickEndsOnceWhateverIsKilled() throws Exception {
        Map<String, String> triggered = new ConcurrentHashMap<>(); // tickId -> loop
        AtomicBoolean streaming = new AtomicBoolean(true);
        Thread stream = new Thread(() -> stream(triggered, streaming), "chaos-stream");
        stream.start();
        Map<String, Long> recovery = new LinkedHashMap<>();
        try {
            awaitCompletions(triggered, 3, Duration.ofMinutes(2));
            for (String service : SERVICES) {
                long before = stack.pid(service);
                ProcessHandle.of(before).ifPresent(ProcessHandle::destroyForcibly);
                Instant killed = Instant.now();
                awaitReady(service, before, Duration.ofMinutes(3));
                recovery.put(service, Duration.between(killed, Instant.now()).toMillis());
                System.out.printf("[chaos] %s killed and ready again in %d ms%n", service, recovery.get(service));
                awaitCompletions(triggered, completedCount(triggered) + 2, Duration.ofMinutes(3));
            }
            Instant brokerDown = Instant.now();
            stack.kafka().stop();
            Thread.sleep(2_000);
            stack.kafka().start();
            int target = completedCount(triggered) + 2;
            awaitCompletions(triggered, target, Duration.ofMinutes(3));
            recovery.put("kafka", Duration.between(brokerDown, Instant.now()).toMillis());
            System.out.printf("[chaos] broker restarted; ticks completing again after %d ms%n", recovery.get("kafka"));

            Instant databaseDown = Instant.now();
            stack.postgres().stop();
            Thread.sleep(2_000);
            stack.postgres().start();
            target = completedCount(triggered) + 2;
            awaitCompletions(triggered, target, Duration.ofMinutes(3));
            recovery.put(
                    "postgres", Duration.between(databaseDown, Instant.now()).toMillis());
            System.out.printf(
                    "[chaos] Postgres restarted; ticks completing again after %d ms%n", recovery.get("postgres"));
        } finally {
            streaming.set(false);
            stream.join();
        }
        // A trigger whose 202 was lost (the scheduler killed after it published the tick, or a client timeout while
        // the broker was down) still runs a tick and charges the ledger: the run log is the list of what ran.
        Set<String> unanswered = new HashSet<>(ticksOfTeam());
        unanswered.removeAll(triggered.keySet());
        unanswered.forEach(tickId -> triggered.put(tickId, "?"));
        System.out.printf("[chaos] %d tick(s) ran whose trigger answer was lost: %s%n", unanswered.size(), unanswered);
        awaitCompletions(triggered, triggered.size(), Duration.ofMinutes(5));

        Map<String, JsonNode> ticks = details(triggered.keySet());
        int lost = 0;
        int duplicated = 0;
        List<String> problems = new ArrayList<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        long chargedByTicks = 0;
        for (var entry : ticks.entrySet()) {
            JsonNode tick = entry.getValue();
            if (tick == null || !tick.hasNonNull("outcome")) {
                lost++;
                problems.add(entry.getKey() + " never completed");
                continue;
            }
            outcomes.merge(tick.path("outcome").asText(), 1, Integer::sum);
            chargedByTicks += tick.path("tokens").asLong();
            Map<String, Long> byType = new HashMap<>();
            Set<String> ids = new HashSet<>();
            for (JsonNode step : tick.path("timeline")) {
                byType.merge(step.path("type").asText(), 1L, Long::sum);
                if (!ids.add(step.path("id").asText())) {
                    problems.add(
                            entry.getKey() + " has event " + step.path("id").asText() + " twice");
                }
            }
            if (byType.getOrDefault("loopline.tick.completed", 0L) != 1) {
                duplicated++;
                problems.add(entry.getKey() + " completed " + byType.get("loopline.tick.completed") + " times");
            }
            if (byType.getOrDefault("loopline.tick.triggered", 0L) != 1) {
                problems.add(entry.getKey() + " was triggered " + byType.get("loopline.tick.triggered") + " times");
            }
            if (Set.of("proposed", "merged", "awaiting-approval")
                    .contains(tick.path("outcome").asText())) {
                for (String type :
                        List.of("loopline.change.proposed", "loopline.change.verified", "loopline.change.decided")) {
                    if (!byType.containsKey(type)) {
                        problems.add(entry.getKey() + " ended "
                                + tick.path("outcome").asText() + " but its run log has no " + type);
                    }
                }
            }
        }
        for (int i = L2_LOOPS; i < L2_LOOPS + L3_LOOPS; i++) {
            Map<String, Long> merges = List.of(
                            GIT.run(repo(i), "log", "--format=%s", "main").split("\n"))
                    .stream()
                    .filter(subject -> subject.startsWith("loopline("))
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            merges.forEach((subject, count) -> {
                if (count > 1) {
                    problems.add(subject + " is on main " + count + " times");
                }
            });
        }
        System.out.printf(
                "[chaos] %d ticks, lost %d, duplicated %d, outcomes %s, recovery ms %s%n",
                ticks.size(), lost, duplicated, outcomes, recovery);

        assertThat(problems)
                .as("ticks lost or duplicated, run logs with gaps or duplicates, double merges")
                .isEmpty();
        assertThat(ticks).hasSizeGreaterThan(10);
        JsonNode team = awaitNothingHeld(Duration.ofMinutes(3));
        assertThat(team.path("spent").asLong())
                .as("the ledger charged what the ticks report: each maker run once")
                .isEqualTo(chargedByTicks);
    }

    /** Triggers a tick on a free loop about once a second; connection errors while a service restarts are skipped. */
    private static void stream(Map<String, String> triggered, AtomicBoolean streaming) {
        int next = 0;
        while (streaming.get()) {
            String id = loop(next);
            next = (next + 1) % (L2_LOOPS + L3_LOOPS);
            try {
                StackClient.Answer answer = client.post(
                        stack.url("scheduler-service") + "/api/v1/loops/" + id + "/ticks", "{\"by\":\"chaos\"}");
                if (answer.status() == 202) {
                    triggered.put(answer.body().path("tickId").asText(), id);
                } else if (answer.status() != 409
                        || !answer.body().path("type").asText().endsWith("/tick-in-flight")) {
                    System.out.printf("[chaos] trigger %s answered %d %s%n", id, answer.status(), answer.body());
                }
            } catch (IllegalStateException unreachable) {
                // the scheduler is being restarted: the next round tries again
            }
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void awaitReady(String service, long killedPid, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (stack.pid(service) != killedPid) {
                try {
                    HttpResponse<Void> ready = http.send(
                            HttpRequest.newBuilder(URI.create(stack.url(service) + "/q/health/ready"))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (ready.statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // still starting
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError(service + " was not restarted and ready within " + timeout);
    }

    private static int completedCount(Map<String, String> triggered) {
        return (int) details(triggered.keySet()).values().stream()
                .filter(t -> t != null && t.hasNonNull("outcome"))
                .count();
    }

    private static void awaitCompletions(Map<String, String> triggered, int count, Duration timeout)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        int done = 0;
        while (Instant.now().isBefore(deadline)) {
            try {
                done = completedCount(triggered);
                if (done >= count) {
                    return;
                }
            } catch (IllegalStateException unreachable) {
                // state-service is restarting
            }
            Thread.sleep(1_000);
        }
        List<String> open = new ArrayList<>();
        details(triggered.keySet()).forEach((tickId, tick) -> {
            if (tick == null || !tick.hasNonNull("outcome")) {
                List<String> steps = new ArrayList<>();
                if (tick != null) {
                    tick.path("timeline")
                            .forEach(step -> steps.add(step.path("type").asText()));
                }
                open.add(tickId + " (" + triggered.get(tickId) + ") " + (tick == null ? "not in the run log" : steps));
            }
        });
        throw new AssertionError("only " + done + " of " + count + " ticks completed within " + timeout
                + "; still open: " + open + "; logs in " + stack.logDir());
    }

    private static Map<String, JsonNode> details(Set<String> tickIds) {
        Map<String, JsonNode> details = new HashMap<>();
        for (String tickId : Set.copyOf(tickIds)) {
            StackClient.Answer answer = client.get(stack.url("state-service") + "/api/v1/ticks/" + tickId);
            details.put(tickId, answer.status() == 200 ? answer.body() : null);
        }
        return details;
    }

    /** Every tick of the chaos team in the run log, following the listing's pages. */
    private static Set<String> ticksOfTeam() {
        Set<String> ids = new HashSet<>();
        String cursor = null;
        do {
            String url = stack.url("state-service") + "/api/v1/ticks?team=" + TEAM + "&limit=200"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            StackClient.Answer page = client.get(url);
            assertThat(page.status()).as("listing ticks: %s", page.body()).isEqualTo(200);
            page.body()
                    .path("items")
                    .forEach(tick -> ids.add(tick.path("tickId").asText()));
            cursor = page.body().hasNonNull("nextCursor")
                    ? page.body().path("nextCursor").asText()
                    : null;
        } while (cursor != null);
        return ids;
    }

    private static JsonNode awaitNothingHeld(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode team = null;
        while (Instant.now().isBefore(deadline)) {
            StackClient.Answer overview = client.get(stack.url("state-service") + "/api/v1/budget");
            team = null;
            for (JsonNode scope : overview.body()) {
                if (scope.path("scope").path("kind").asText().equals("team")
                        && scope.path("scope").path("id").asText().equals(TEAM)) {
                    team = scope;
                }
            }
            if (team != null && team.path("held").asLong() == 0) {
                return team;
            }
            Thread.sleep(2_000);
        }
        throw new AssertionError("team " + TEAM + " still holds tokens after " + timeout + ": " + team);
    }
}
