package dev.loopline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.core.io.Git;
import dev.loopline.testsupport.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three agent-service processes in one consumer group on the packaged stack, one slow shell tick on each. One agent is
 * killed with SIGKILL mid-maker, another stopped with SIGTERM mid-maker (scale-in). Every tick ends exactly once and
 * merges once; the stopped agent finishes its own tick before it exits; the killed agent's tick is handled again on
 * the worker that gets its partition; the maker processes the killed agent left are gone, and no worktree is left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentScalingIT {

    private static final int AGENTS = 3;
    private static final String TEAM = "scaling";
    /** Long enough to kill and stop agents in the middle of it, short enough for a drain (30 s locally). */
    private static final int MAKER_SECONDS = 15;

    private static Path base;
    private static LocalStack stack;
    private static StackClient client;
    private static final Git GIT = new Git();
    /** One loop per partition of loopline.ticks, so that each agent gets one tick. */
    private static final List<String> LOOPS = loopPerPartition();

    /** A loop whose maker outlasts the agents' drain timeout (30 s locally), in a team of its own. */
    private static final String SLOW_LOOP = "outlasts-drain";

    private static final int SLOW_MAKER_SECONDS = 240;

    @BeforeAll
    static void startStack() throws IOException {
        base = Files.createDirectories(Path.of("target"))
                .toAbsolutePath()
                .resolve("scaling-" + System.currentTimeMillis());
        Path specs = Files.createDirectories(base.resolve("specs"));
        for (String loop : LOOPS) {
            // a detached child that would run for minutes if nobody cleaned up after a killed agent
            Files.writeString(
                    specs.resolve(loop + ".yaml"),
                    """
                    id: %s
                    team: %s
                    kind: assisted-fix
                    level: L3
                    target: {repo: %s, baseRef: main}
                    task: Touch the greeting slowly
                    test: {command: sh test.sh, timeoutSeconds: 60}
                    maker:
                      type: shell
                      command: 'sleep 300 & sleep %d; echo "hello from tick $LOOPLINE_TICK_ID" > src/greeting.txt'
                    allowlist: {allow: ["src/**"], maxFiles: 2, maxLines: 10}
                    budget: {tokensPerRun: 5000, dailyTokens: 100000000, maxAttempts: 1}
                    """
                            .formatted(loop, TEAM, repo(loop), MAKER_SECONDS));
        }
        Files.writeString(
                specs.resolve(SLOW_LOOP + ".yaml"),
                """
                id: %s
                team: drain
                kind: assisted-fix
                level: L3
                target: {repo: %s, baseRef: main}
                task: Take longer than any drain
                test: {command: sh test.sh, timeoutSeconds: 60}
                maker:
                  type: shell
                  command: 'sleep 600 & sleep %d; echo "hello from tick $LOOPLINE_TICK_ID" > src/greeting.txt'
                allowlist: {allow: ["src/**"], maxFiles: 2, maxLines: 10}
                budget: {tokensPerRun: 5000, dailyTokens: 100000000, maxAttempts: 1}
                """
                        .formatted(SLOW_LOOP, repo(SLOW_LOOP), SLOW_MAKER_SECONDS));
        int[] ports = FreePorts.pick(8);
        String token = LocalStack.newToken();
        stack = LocalStack.start(
                new LocalStack.Options(
                        Path.of(System.getProperty("loopline.root", "../.."))
                                .toAbsolutePath()
                                .normalize(),
                        base,
                        new StackPorts(ports[0], ports[1], ports[2], ports[3], ports[4], ports[5], ports[6], ports[7]),
                        token,
                        specs,
                        line -> System.out.println("[scaling stack] " + line)),
                AGENTS);
        client = new StackClient(token);
        for (String loop : Stream.concat(LOOPS.stream(), Stream.of(SLOW_LOOP)).toList()) {
            GIT.run(
                    base,
                    "clone",
                    "--bare",
                    "--quiet",
                    stack.sampleRepository().toString(),
                    repo(loop).toString());
        }
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void everyTickEndsOnceWhenOneAgentIsKilledAndAnotherDrained() throws Exception {
        Map<String, String> ticks = new LinkedHashMap<>(); // tickId -> loop
        for (String loop : LOOPS) {
            ticks.put(trigger(loop), loop);
        }
        // which agent runs which tick: the agent JVM above the tick's maker processes
        Map<String, String> runner = awaitMakers(ticks.keySet(), Duration.ofMinutes(2));
        List<String> distinct = runner.values().stream().distinct().toList();
        assertThat(distinct).as("ticks spread over agents: " + runner).hasSizeGreaterThanOrEqualTo(2);
        String stopped = distinct.get(0);
        String killed = distinct.get(1);
        String stoppedTick = tickOf(runner, stopped);
        String killedTick = tickOf(runner, killed);
        List<ProcessHandle> leftByKilled = makerProcesses(killedTick);
        assertThat(leftByKilled).as("the killed agent's maker processes").isNotEmpty();
        ProcessHandle stoppedAgent = ProcessHandle.of(stack.pid(stopped)).orElseThrow();
        ProcessHandle killedAgent = ProcessHandle.of(stack.pid(killed)).orElseThrow();
        System.out.printf(
                "[scaling] ticks on agents %s; SIGKILL %s (tick %s), SIGTERM %s (tick %s)%n",
                runner, killed, killedTick, stopped, stoppedTick);

        Instant stopAt = Instant.now();
        killedAgent.destroyForcibly();
        stoppedAgent.destroy();

        stoppedAgent.onExit().get(LocalStack.AGENT_STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
        long drainMillis = Duration.between(stopAt, Instant.now()).toMillis();
        System.out.printf("[scaling] %s exited %d ms after SIGTERM%n", stopped, drainMillis);
        String stoppedLog = Files.readString(stack.logDir().resolve(stopped + ".log"));
        assertThat(stoppedLog)
                .as("the drained agent finished its own tick before it exited")
                .contains("tick " + stoppedTick + " attempt 1 proposes")
                .contains("drained in");
        for (ProcessHandle left : leftByKilled) {
            // the restarted worker kills them at start-up; `sleep 300` would otherwise outlive the test
            left.onExit().get(3, TimeUnit.MINUTES);
        }

        Map<String, JsonNode> details = awaitCompleted(ticks.keySet(), Duration.ofMinutes(4));
        List<String> problems = new ArrayList<>();
        for (var entry : details.entrySet()) {
            JsonNode tick = entry.getValue();
            Map<String, Long> byType = new HashMap<>();
            tick.path("timeline").forEach(step -> byType.merge(step.path("type").asText(), 1L, Long::sum));
            if (byType.getOrDefault("loopline.tick.completed", 0L) != 1) {
                problems.add(entry.getKey() + " completed " + byType.get("loopline.tick.completed") + " times");
            }
            if (!tick.path("outcome").asText().equals("merged")) {
                problems.add(entry.getKey() + " ended " + tick.path("outcome").asText() + ": "
                        + tick.path("reason").asText());
            }
        }
        for (String loop : LOOPS) {
            Map<String, Long> merges = Stream.of(
                            GIT.run(repo(loop), "log", "--format=%s", "main").split("\n"))
                    .filter(subject -> subject.startsWith("loopline("))
                    .collect(Collectors.groupingBy(s -> s, Collectors.counting()));
            if (merges.size() != 1 || merges.values().stream().anyMatch(n -> n != 1)) {
                problems.add(loop + " merges on main: " + merges);
            }
        }
        assertThat(problems).as("every tick ended once and merged once").isEmpty();
        String killedTickLogs = agentsLogs(killed);
        assertThat(killedTickLogs + afterRestart(killed))
                .as("the killed agent's tick was handled again by a live worker")
                .contains("tick " + killedTick + " attempt 1 proposes");
        // no maker ran twice: a record delivered again after its attempt ended (the drained agent's offset commit can
        // fail while the group rebalances) is answered from the run log, and a moved partition stops the old run
        String allLogs = agentsLogs(null);
        for (String tickId : ticks.keySet()) {
            assertThat(occurrences(allLogs, "tick " + tickId + " attempt 1 proposes"))
                    .as("proposals of tick " + tickId)
                    .isEqualTo(1);
            if (!tickId.equals(killedTick)) {
                // a run stopped because a rebalance moved its partition is run again by the new owner, and says so
                assertThat(occurrences(allLogs, "tick " + tickId + " attempt 1 reserved"))
                        .as("maker runs of tick " + tickId + " (its agent was not killed)")
                        .isEqualTo(1
                                + occurrences(
                                        allLogs,
                                        "tick " + tickId + " attempt 1 of " + ticks.get(tickId)
                                                + " stopped and not published"));
            }
        }

        for (String tickId : ticks.keySet()) {
            assertThat(makerProcesses(tickId)).as("processes of tick " + tickId).isEmpty();
        }
        for (int i = 1; i <= AGENTS; i++) {
            Path worktrees = stack.workDir(i == 1 ? "agent" : "agent-" + i).resolve("worktrees");
            try (Stream<Path> left = Files.exists(worktrees) ? Files.list(worktrees) : Stream.empty()) {
                assertThat(left).as("worktrees left in " + worktrees).isEmpty();
            }
        }
        JsonNode team = awaitNothingHeld(Duration.ofMinutes(1));
        assertThat(team.path("spent").asLong())
                .as("shell makers report no tokens: nothing charged, every hold released")
                .isZero();
    }

    /**
     * Scale-in when a maker outlasts the drain: the stopped agent halts the tick at its drain timeout, kills the
     * maker's process group (a detached child included), publishes the end, and exits within its grace period; the
     * tick ends once, {@code halted} with code {@code timeout}, and nothing of it is merged or left behind.
     */
    @Test
    @Order(2)
    void aTickThatOutlastsTheDrainEndsHaltedWithTheTimeoutCodeAndLeavesNoProcess() throws Exception {
        String tickId = trigger(SLOW_LOOP);
        String agent = awaitMakers(List.of(tickId), Duration.ofMinutes(2)).get(tickId);
        List<ProcessHandle> makers = makerProcesses(tickId);
        ProcessHandle process = ProcessHandle.of(stack.pid(agent)).orElseThrow();

        Instant stopAt = Instant.now();
        process.destroy();
        process.onExit().get(LocalStack.AGENT_STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
        long exitMillis = Duration.between(stopAt, Instant.now()).toMillis();
        System.out.printf(
                "[scaling] %s exited %d ms after SIGTERM with a %d s maker running%n",
                agent, exitMillis, SLOW_MAKER_SECONDS);

        String log = Files.readString(stack.logDir().resolve(agent + ".log"));
        assertThat(log).as("the drain gave up on the tick").contains("drain timeout");
        assertThat(exitMillis)
                .as("the agent exited after its drain timeout, long before the maker would have finished")
                .isLessThan(LocalStack.AGENT_STOP_GRACE.toMillis());
        for (ProcessHandle left : makers) {
            assertThat(left.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
        }
        assertThat(makerProcesses(tickId)).as("processes of tick " + tickId).isEmpty();

        JsonNode tick = awaitCompleted(List.of(tickId), Duration.ofMinutes(2)).get(tickId);
        assertThat(tick.path("outcome").asText()).isEqualTo("halted");
        assertThat(tick.path("reason").asText()).contains("drain timeout");
        List<JsonNode> completions = new ArrayList<>();
        tick.path("timeline").forEach(step -> {
            if (step.path("type").asText().equals("loopline.tick.completed")) {
                completions.add(step);
            }
        });
        assertThat(completions).as("the tick ended once").hasSize(1);
        assertThat(completions.get(0).path("data").path("halt").asText()).isEqualTo("timeout");
        // nothing on main but the sample's own history, and no worktree of the tick left where the agent worked
        assertThat(GIT.run(repo(SLOW_LOOP), "log", "--format=%s", "main")).doesNotContain("loopline(");
        Path worktrees = stack.workDir(agent.replace("agent-service", "agent")).resolve("worktrees");
        try (Stream<Path> left = Files.exists(worktrees) ? Files.list(worktrees) : Stream.empty()) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith(safe(tickId))))
                    .as("worktrees of " + tickId + " in " + worktrees)
                    .isEmpty();
        }
    }

    /** A tick id as the agent names its worktree after it. */
    private static String safe(String tickId) {
        return tickId.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Loop ids whose records land on partitions 0, 1 and 2 of loopline.ticks (Kafka's default partitioner). */
    private static List<String> loopPerPartition() {
        String[] chosen = new String[LocalStack.WORK_TOPIC_PARTITIONS];
        for (int n = 0; java.util.Arrays.asList(chosen).contains(null); n++) {
            String id = "scaling-" + n;
            int partition = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8)))
                    % LocalStack.WORK_TOPIC_PARTITIONS;
            if (chosen[partition] == null) {
                chosen[partition] = id;
            }
        }
        return List.of(chosen);
    }

    private static Path repo(String loop) {
        return base.resolve("repos").resolve(loop + ".git");
    }

    private static String trigger(String loop) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (true) {
            StackClient.Answer answer = client.post(
                    stack.url("scheduler-service") + "/api/v1/loops/" + loop + "/ticks", "{\"by\":\"scaling\"}");
            if (answer.status() == 202) {
                return answer.body().path("tickId").asText();
            }
            // right after start the scheduler may not have its first control snapshot yet
            if (answer.status() != 503 || Instant.now().isAfter(deadline)) {
                throw new AssertionError("trigger " + loop + " answered " + answer.status() + " " + answer.body());
            }
            Thread.sleep(500);
        }
    }

    private static String tickOf(Map<String, String> runner, String agent) {
        return runner.entrySet().stream()
                .filter(e -> e.getValue().equals(agent))
                .findFirst()
                .orElseThrow()
                .getKey();
    }

    /** Waits until every tick's maker runs, and answers the agent (service name) running each. */
    private static Map<String, String> awaitMakers(Collection<String> tickIds, Duration timeout)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, String> runner = new LinkedHashMap<>();
        while (Instant.now().isBefore(deadline)) {
            for (String tickId : tickIds) {
                if (!runner.containsKey(tickId)) {
                    makerProcesses(tickId).stream()
                            .map(AgentScalingIT::agentAbove)
                            .flatMap(Optional::stream)
                            .findFirst()
                            .ifPresent(agent -> runner.put(tickId, agent));
                }
            }
            if (runner.size() == tickIds.size()) {
                return runner;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("makers running after " + timeout + ": " + runner + "; logs in " + stack.logDir());
    }

    private static Optional<String> agentAbove(ProcessHandle process) {
        Map<Long, String> agents = new HashMap<>();
        for (int i = 1; i <= AGENTS; i++) {
            String name = LocalStack.agentWorkerName(i);
            agents.put(stack.pid(name), name);
        }
        for (Optional<ProcessHandle> p = Optional.of(process);
                p.isPresent();
                p = p.get().parent()) {
            String agent = agents.get(p.get().pid());
            if (agent != null) {
                return Optional.of(agent);
            }
        }
        return Optional.empty();
    }

    /** The live processes whose environment says they work for the tick (a shell maker's, and what they started). */
    private static List<ProcessHandle> makerProcesses(String tickId) {
        byte[] needle = ("LOOPLINE_TICK_ID=" + tickId + "\0").getBytes(StandardCharsets.UTF_8);
        return ProcessHandle.allProcesses()
                .filter(p -> {
                    try {
                        byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "environ"));
                        return indexOf(environ, needle) >= 0;
                    } catch (IOException | SecurityException gone) {
                        return false;
                    }
                })
                .toList();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Every agent's log (restarts included, appended), but {@code except}'s when it names one. */
    private static String agentsLogs(String except) throws IOException {
        StringBuilder logs = new StringBuilder();
        for (int i = 1; i <= AGENTS; i++) {
            String name = LocalStack.agentWorkerName(i);
            if (!name.equals(except)) {
                logs.append(Files.readString(stack.logDir().resolve(name + ".log")));
            }
        }
        return logs.toString();
    }

    private static int occurrences(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    /** The killed agent's log after its restart (the restarted process may get its partition back). */
    private static String afterRestart(String agent) throws IOException {
        String log = Files.readString(stack.logDir().resolve(agent + ".log"));
        int restart = log.lastIndexOf("Installed features");
        return restart < 0 ? "" : log.substring(restart);
    }

    private static Map<String, JsonNode> awaitCompleted(Iterable<String> tickIds, Duration timeout)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, JsonNode> details = new LinkedHashMap<>();
        while (Instant.now().isBefore(deadline)) {
            details.clear();
            boolean all = true;
            for (String tickId : tickIds) {
                StackClient.Answer answer = client.get(stack.url("state-service") + "/api/v1/ticks/" + tickId);
                JsonNode tick = answer.status() == 200 ? answer.body() : null;
                details.put(tickId, tick);
                all &= tick != null && tick.hasNonNull("outcome");
            }
            if (all) {
                return details;
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError(
                "ticks not completed within " + timeout + ": " + details.keySet() + "; logs in " + stack.logDir());
    }

    private static JsonNode awaitNothingHeld(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode team = null;
        while (Instant.now().isBefore(deadline)) {
            team = null;
            for (JsonNode scope :
                    client.get(stack.url("state-service") + "/api/v1/budget").body()) {
                if (scope.path("scope").path("kind").asText().equals("team")
                        && scope.path("scope").path("id").asText().equals(TEAM)) {
                    team = scope;
                }
            }
            if (team != null && team.path("held").asLong() == 0) {
                return team;
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError("team " + TEAM + " still holds tokens after " + timeout + ": " + team);
    }
}
