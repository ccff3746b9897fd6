package dev.loopline.bench.pipeline;

import dev.loopline.core.io.Git;
import dev.loopline.local.LocalStack;
import dev.loopline.local.StackClient;
import dev.loopline.local.StackPorts;
import dev.loopline.testsupport.FreePorts;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;

/**
 * Throughput of N agent workers (not a timed test): starts the packaged local stack with {@code agents} agent-service
 * processes, gives it {@code loops} L1 loops whose maker is slow ({@code sleep makerSeconds}, a stand-in for a model
 * run: it waits, it does not burn CPU), spread evenly over the partitions of {@code loopline.ticks}, and keeps every
 * loop busy for {@code seconds}: each loop is triggered again as soon as its tick completes, so there is always a
 * backlog of one tick per loop. Prints the open ticks (the agents' backlog) every 10 s and the completed ticks per
 * minute over the window.
 *
 * <p>Usage: {@code bench/agent-scale.sh [agents=1] [seconds=120] [makerSeconds=5] [loops=12]}
 */
public final class AgentScaleLoad {

    private AgentScaleLoad() {}

    public static void main(String[] args) throws Exception {
        int agents = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        int makerSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int loops = args.length > 3 ? Integer.parseInt(args[3]) : 12;
        LocalStack.requireAgentCount(agents);
        Path root = Path.of("").toAbsolutePath();
        Path base = root.resolve("bench/target/agent-scale-" + agents);
        TickPathLoad.deleteTree(base);
        Path specs = Files.createDirectories(base.resolve("specs"));
        Path repos = base.resolve("repos");
        List<String> ids = spread(loops);
        for (String id : ids) {
            Files.writeString(specs.resolve(id + ".yaml"), spec(id, repos.resolve(id + ".git"), makerSeconds));
        }
        System.out.printf(
                "machine: %d cores, load average %.1f (shared machine: figures vary with other work)%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf(
                "agent scaling: %d agent(s), %d loops (%d per partition), maker sleeps %d s, %d s window%n",
                agents, loops, loops / LocalStack.WORK_TOPIC_PARTITIONS, makerSeconds, seconds);
        String token = LocalStack.newToken();
        int[] ports = FreePorts.pick(8);
        StackPorts stackPorts =
                new StackPorts(ports[0], ports[1], ports[2], ports[3], ports[4], ports[5], ports[6], ports[7]);
        try (LocalStack stack = LocalStack.start(
                new LocalStack.Options(
                        root, base, stackPorts, token, specs, line -> System.out.println("  stack: " + line)),
                agents)) {
            Git git = new Git();
            for (String id : ids) {
                git.run(
                        base,
                        "clone",
                        "--bare",
                        "--quiet",
                        stack.sampleRepository().toString(),
                        repos.resolve(id + ".git").toString());
            }
            run(stack, new StackClient(token), ids, seconds);
        }
    }

    private static void run(LocalStack stack, StackClient client, List<String> ids, int seconds)
            throws InterruptedException {
        String scheduler = stack.url("scheduler-service");
        String state = stack.url("state-service");
        Map<String, String> open = new HashMap<>(); // loop -> tick in flight
        List<Instant> completedAt = new ArrayList<>();
        Instant start = Instant.now();
        Instant end = start.plusSeconds(seconds);
        Instant nextReport = start;
        while (Instant.now().isBefore(end)) {
            for (String id : ids) {
                String tick = open.get(id);
                if (tick != null) {
                    StackClient.Answer detail = ask(() -> client.get(state + "/api/v1/ticks/" + tick));
                    if (detail == null
                            || detail.status() != 200
                            || !detail.body().hasNonNull("outcome")) {
                        continue;
                    }
                    completedAt.add(Instant.now());
                    open.remove(id);
                }
                StackClient.Answer answer =
                        ask(() -> client.post(scheduler + "/api/v1/loops/" + id + "/ticks", "{\"by\":\"bench\"}"));
                if (answer == null) {
                    continue;
                }
                if (answer.status() == 202) {
                    open.put(id, answer.body().path("tickId").asText());
                } else if (answer.status() != 409 && answer.status() != 503) {
                    throw new IllegalStateException(
                            "trigger " + id + " answered " + answer.status() + ": " + answer.body());
                }
            }
            if (!Instant.now().isBefore(nextReport)) {
                System.out.printf(
                        "  t=%3d s  open ticks %2d  completed %3d  load %.1f%n",
                        Duration.between(start, Instant.now()).toSeconds(),
                        open.size(),
                        completedAt.size(),
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                nextReport = nextReport.plusSeconds(10);
            }
            Thread.sleep(250);
        }
        // the first minute holds the start of the pipeline (first fetches, JIT): count the rest
        Instant from = start.plusSeconds(Math.min(60, seconds / 3));
        long counted = completedAt.stream().filter(t -> t.isAfter(from)).count();
        double minutes = Duration.between(from, end).toMillis() / 60_000.0;
        System.out.printf(
                "%n%d ticks completed in the window; after the first %d s: %.1f ticks/min; load average %.1f%n",
                completedAt.size(),
                Duration.between(start, from).toSeconds(),
                counted / minutes,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** The answer, or null when the service did not answer in time (a loaded machine): asked again next round. */
    private static StackClient.Answer ask(java.util.function.Supplier<StackClient.Answer> call) {
        try {
            return call.get();
        } catch (IllegalStateException timedOut) {
            return null;
        }
    }

    /** Loop ids spread evenly over the partitions of loopline.ticks (Kafka's default partitioner on the key). */
    static List<String> spread(int loops) {
        int partitions = LocalStack.WORK_TOPIC_PARTITIONS;
        int perPartition = Math.max(1, loops / partitions);
        int[] taken = new int[partitions];
        List<String> ids = new ArrayList<>();
        for (int n = 0; ids.size() < perPartition * partitions; n++) {
            String id = "scale-" + n;
            int partition = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % partitions;
            if (taken[partition] < perPartition) {
                taken[partition]++;
                ids.add(id);
            }
        }
        return ids;
    }

    private static String spec(String id, Path repo, int makerSeconds) {
        return """
                id: %s
                team: bench
                kind: assisted-fix
                level: L1
                target: {repo: %s, baseRef: main}
                task: Touch the greeting slowly
                test: {command: sh test.sh, timeoutSeconds: 60}
                maker:
                  type: shell
                  command: 'sleep %d; echo "hello from tick $LOOPLINE_TICK_ID" > src/greeting.txt'
                budget: {tokensPerRun: 5000, dailyTokens: 100000000, maxAttempts: 1}
                """
                .formatted(id, repo, makerSeconds);
    }
}
