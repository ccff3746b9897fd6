package dev.loopline.bench.agent;

import dev.loopline.bench.ServiceProcess;
import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.events.EventType;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.schemas.spec.LoopSpec;
import dev.loopline.testsupport.KafkaBroker;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Latency of one claude-code hook call, end to end, as the CLI pays it: the generated hook script started per call
 * (bash + curl), the agent's resident route, the session's decision. The packaged agent-service runs a real tick of
 * a claude-code loop against a real broker; its CLI is {@code hook-timer.sh}, which the maker starts exactly as it
 * starts Claude Code and which calls the run's hooks as Claude Code does, timing each call. Its figures come back as
 * the proposal's summary.
 *
 * <p>Usage: {@code HookLatency <agent quarkus-run.jar> [calls per kind]}
 */
public final class HookLatency {

    private HookLatency() {}

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "agent-service/target/quarkus-app/quarkus-run.jar");
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        System.out.printf(
                "machine: %d cores, load average %.1f (shared machine: figures vary with other work)%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Path work = Files.createDirectories(Path.of("bench", "target", "hook-latency"))
                .toAbsolutePath();
        Path timer = timer(work);
        Path repo = repo(work.resolve("repo-" + UUID.randomUUID()));
        try (KafkaBroker kafka = KafkaBroker.builder().numPartitions(1).build().start()) {
            kafka.createTopics(
                    1,
                    "loopline.ticks",
                    "loopline.proposals",
                    "loopline.completions",
                    "loopline.verdicts",
                    "loopline.decisions",
                    "loopline.control",
                    "loopline.dead-letters");
            Map<String, String> env = new HashMap<>();
            env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            env.put("LOOPLINE_AGENT_WORK_DIR", work.resolve("agent").toString());
            env.put("LOOPLINE_AGENT_BUDGET_ENABLED", "false");
            env.put("LOOPLINE_AGENT_CLAUDE_CODE_BINARY", timer.toString());
            env.put("LOOPLINE_AGENT_CLAUDE_CODE_API_KEY", "unused-by-the-timer");
            env.put("LOOPLINE_AGENT_CLAUDE_CODE_TIMEOUT", "10m");
            env.put("QUARKUS_LOG_LEVEL", "WARN");
            try (ServiceProcess agent =
                    ServiceProcess.start("agent-service", jar, env, List.of("-Xmx512m"), Duration.ofMinutes(3))) {
                String tickId = "hook-latency-" + UUID.randomUUID();
                long started = System.nanoTime();
                send(kafka.bootstrapServers(), tick(tickId, repo, calls));
                Event result = await(kafka.bootstrapServers(), tickId, Duration.ofMinutes(10));
                double seconds = (System.nanoTime() - started) / 1e9;
                if (!(result.data() instanceof ChangeProposed proposed)) {
                    throw new IllegalStateException("the tick ended without a proposal: "
                            + result.dataAs(TickCompleted.class).reason() + " (log: " + agent.log() + ")");
                }
                System.out.printf(
                        "%nRESULTS (%d calls per kind, one hook process per call, tick took %.1f s)%n", calls, seconds);
                String summary = proposed.summary();
                String figures = summary.substring(summary.indexOf(": ") + 2, summary.lastIndexOf(" ("));
                for (String line : figures.substring(figures.indexOf(": ") + 2).split(";")) {
                    System.out.println("  " + line.strip());
                }
                System.out.printf(
                        "load average after: %.1f%n",
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }
        }
    }

    private static Path timer(Path work) throws IOException {
        Path timer = work.resolve("hook-timer.sh");
        try (InputStream in = HookLatency.class.getResourceAsStream("hook-timer.sh")) {
            Files.write(timer, in.readAllBytes());
        }
        Files.setPosixFilePermissions(timer, PosixFilePermissions.fromString("rwx------"));
        return timer;
    }

    /** A repository whose test command pins {@code test.sh}, so a Write to it is a harness change. */
    private static Path repo(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("test.sh"), "#!/bin/sh\nnpm test\n");
        Files.writeString(dir.resolve("src/app.js"), "console.log('app')\n");
        git(dir, "init", "--quiet", "--initial-branch=main");
        git(dir, "add", "-A");
        git(dir, "-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "--quiet", "-m", "initial");
        return dir;
    }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process git =
                new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        if (git.waitFor() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed");
        }
    }

    private static Event tick(String tickId, Path repo, int calls) {
        LoopSpec spec = LoopSpec.builder(
                        "hook-latency",
                        LoopSpec.Kind.ASSISTED_FIX,
                        LoopSpec.Level.L2,
                        new LoopSpec.Target(repo.toString(), "main"))
                .task("hook-latency " + calls)
                .test(new LoopSpec.Test("sh test.sh", 60))
                .maker(new LoopSpec.Maker("claude-code", null, null, null, null))
                .build();
        return Event.of(
                "bench",
                Instant.now(),
                "hook-latency",
                tickId,
                "bench",
                0,
                new TickTriggered(TickTriggered.Trigger.manual("bench"), "c".repeat(64), spec));
    }

    private static void send(String bootstrap, Event event) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("loopline.ticks", event.loopId(), EventCodec.encode(event)))
                    .get();
        }
    }

    /** The tick's proposal, or its completion when it ended without one. */
    private static Event await(String bootstrap, String tickId, Duration timeout) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-hook-latency");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("loopline.proposals", "loopline.completions"));
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    Event event = EventCodec.decode(record.value());
                    if (event.tickId().equals(tickId)
                            && (event.type().equals(EventType.CHANGE_PROPOSED.wireName())
                                    || event.type().equals(EventType.TICK_COMPLETED.wireName()))) {
                        return event;
                    }
                }
            }
        } catch (dev.loopline.schemas.events.InvalidEventException e) {
            throw new IllegalStateException("the agent published an invalid event", e);
        }
        throw new IllegalStateException("no proposal for tick " + tickId + " within " + timeout);
    }
}
