package dev.loopline.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code loopline up} and {@code loopline down}. */
@Command(
        name = "loopline-local",
        mixinStandardHelpOptions = true,
        subcommands = {LocalStackCommand.Up.class, LocalStackCommand.Down.class},
        description = "Run Loopline on this machine.")
public class LocalStackCommand {

    public static void main(String[] args) {
        // The embedded clients log through JBoss LogManager; it must own JUL before anything logs.
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        System.exit(new CommandLine(new LocalStackCommand()).execute(args));
    }

    static Path defaultBaseDir(Path root) {
        return root.resolve(".loopline");
    }

    @Command(name = "up", description = "Start Kafka, Postgres, the services, the dashboard and the sample loops.")
    static class Up implements Callable<Integer> {

        @Option(names = "--root", defaultValue = ".", description = "Repository root (default: current directory).")
        Path root;

        @Option(names = "--dir", description = "Data, logs and sample workspace (default: <root>/.loopline).")
        Path baseDir;

        @Option(names = "--loops", description = "Directory of loop specs to run instead of the sample loops.")
        Path loops;

        @Option(names = "--no-follow", description = "Start, trigger the loops once, and return.")
        boolean noFollow;

        @Option(
                names = "--agents",
                paramLabel = "N",
                defaultValue = "1",
                description = "agent-service processes sharing the ticks in one consumer group, as replicas of a"
                        + " Deployment (1-" + LocalStack.WORK_TOPIC_PARTITIONS + ", default 1).")
        int agents;

        @Override
        public Integer call() throws InterruptedException {
            try {
                LocalStack.requireAgentCount(agents);
            } catch (IllegalArgumentException e) {
                System.err.println("loopline up: " + e.getMessage());
                return 64;
            }
            Path base = (baseDir == null ? defaultBaseDir(root) : baseDir).toAbsolutePath();
            String token = Optional.ofNullable(System.getenv("LOOPLINE_AUTH_TOKEN"))
                    .filter(t -> !t.isBlank())
                    .orElseGet(LocalStack::newToken);
            StackPorts ports;
            try {
                ports = StackPorts.fromEnvironment(System.getenv());
            } catch (IllegalArgumentException e) {
                System.err.println("loopline up: " + e.getMessage());
                return 64;
            }
            long started = System.nanoTime();
            LocalStack stack;
            try {
                stack = LocalStack.start(
                        new LocalStack.Options(root.toAbsolutePath(), base, ports, token, loops, System.out::println),
                        agents);
            } catch (RuntimeException e) {
                System.err.println("loopline up failed: " + e.getMessage());
                return 1;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                System.out.println("\nstopping Loopline…");
                stack.close();
                stopped.countDown();
            }));
            System.out.printf("%nLoopline is running (started in %.1f s)%n", (System.nanoTime() - started) / 1e9);
            System.out.println("  dashboard  " + stack.url("dashboard") + "/#token=" + token);
            System.out.println("  state API  " + stack.url("state-service") + "/api/v1/ticks");
            System.out.println("  loops      " + stack.url("state-service") + "/api/v1/loops");
            System.out.println("  schedule   " + stack.url("scheduler-service") + "/api/v1/schedule");
            System.out.println("  token      in " + LocalStack.runFile(base) + " (the CLI reads it from there)");
            System.out.println("  sample     " + stack.sampleRepository());
            System.out.println("  logs       " + stack.logDir());
            System.out.println("Stop with Ctrl-C or ./loopline down.\n");
            StackClient client = new StackClient(token);
            listLoops(stack, client);
            if (noFollow) {
                return 0;
            }
            follow(stack, client, stopped, started);
            return 0;
        }

        /** The scheduler runs every loop within seconds of start; show which loops it runs and which it refused. */
        private static void listLoops(LocalStack stack, StackClient client) {
            StackClient.Answer loops = client.get(stack.url("scheduler-service") + "/api/v1/schedule");
            if (loops.status() != 200 || loops.body() == null) {
                System.out.println("could not list loops (HTTP " + loops.status() + ")");
                return;
            }
            for (JsonNode loop :
                    loops.body().isArray() ? loops.body() : loops.body().path("items")) {
                if (loop.path("valid").asBoolean(true)) {
                    System.out.printf(
                            "  loop %-16s %-3s cadence %s%n",
                            loop.path("id").asText(),
                            loop.path("level").asText(),
                            loop.path("cadence").asText("manual"));
                } else {
                    System.out.println("  invalid loop " + loop.path("id").asText() + ": " + loop.path("problems"));
                }
            }
            System.out.println("Ticks as they complete:");
        }

        private static void follow(LocalStack stack, StackClient client, CountDownLatch stopped, long started)
                throws InterruptedException {
            Set<String> reported = new HashSet<>();
            boolean first = true;
            while (!stopped.await(2, java.util.concurrent.TimeUnit.SECONDS)) {
                StackClient.Answer ticks;
                try {
                    ticks = client.get(stack.url("state-service") + "/api/v1/ticks?limit=50");
                } catch (IllegalStateException e) {
                    continue;
                }
                if (ticks.status() != 200 || ticks.body() == null) {
                    continue;
                }
                List<JsonNode> items = new java.util.ArrayList<>();
                ticks.body().path("items").forEach(items::add);
                java.util.Collections.reverse(items);
                for (JsonNode t : items) {
                    if (t.hasNonNull("outcome") && reported.add(t.path("tickId").asText())) {
                        if (first) {
                            System.out.printf(
                                    "first tick completed %.1f s after start%n", (System.nanoTime() - started) / 1e9);
                            first = false;
                        }
                        System.out.printf(
                                "  %-16s %-34s %-18s %6d tokens%n",
                                t.path("loopId").asText(),
                                t.path("tickId").asText(),
                                t.path("outcome").asText(),
                                t.path("tokens").asLong());
                    }
                }
            }
        }
    }

    @Command(name = "down", description = "Stop a local stack started with 'up'.")
    static class Down implements Callable<Integer> {

        @Option(names = "--root", defaultValue = ".")
        Path root;

        @Option(names = "--dir", description = "The stack's directory (default: <root>/.loopline).")
        Path baseDir;

        @Override
        public Integer call() throws IOException {
            Path file = LocalStack.runFile(baseDir == null ? defaultBaseDir(root) : baseDir);
            if (!Files.isRegularFile(file)) {
                System.out.println("Loopline is not running (no " + file + ")");
                return 0;
            }
            Properties run = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                run.load(in);
            }
            Optional<ProcessHandle> launcher = ProcessHandle.of(Long.parseLong(run.getProperty("pid", "-1")));
            if (launcher.isPresent() && launcher.get().isAlive()) {
                System.out.println("stopping Loopline (pid " + launcher.get().pid() + ")…");
                launcher.get().destroy();
                launcher.get()
                        .onExit()
                        .orTimeout(60, java.util.concurrent.TimeUnit.SECONDS)
                        .exceptionally(e -> null)
                        .join();
            }
            // Anything the launcher could not stop (it was killed with -9) is stopped here.
            run.stringPropertyNames().stream()
                    .filter(k -> k.endsWith(".pid"))
                    .map(k -> ProcessHandle.of(Long.parseLong(run.getProperty(k))))
                    .flatMap(Optional::stream)
                    .filter(ProcessHandle::isAlive)
                    .forEach(p -> {
                        p.destroy();
                        p.onExit()
                                .orTimeout(20, java.util.concurrent.TimeUnit.SECONDS)
                                .exceptionally(e -> null)
                                .join();
                    });
            Files.deleteIfExists(file);
            System.out.println("Loopline stopped.");
            return 0;
        }
    }
}
