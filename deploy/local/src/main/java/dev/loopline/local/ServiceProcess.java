package dev.loopline.local;

import dev.loopline.testsupport.ProcessLogs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One packaged Quarkus service run as its own JVM, with its log in a file. Once {@linkplain #supervise supervised},
 * a service that exits on its own is started again, as Kubernetes restarts a pod: after 1 s, doubling up to 30 s
 * while it keeps dying, back to 1 s once it has stayed up for a minute.
 */
final class ServiceProcess {

    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** A run this long counts as healthy: the next crash restarts after {@link #FIRST_BACKOFF} again. */
    static final Duration STABLE_AFTER = Duration.ofMinutes(1);

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final Path jar;
    private final int port;
    private final Map<String, String> env;
    private final Path log;
    /** How long {@link #stop()} waits after SIGTERM before it kills. */
    private final Duration stopGrace;

    private volatile Process process;
    private volatile Instant startedAt;
    private volatile boolean stopping;
    private Duration backoff = FIRST_BACKOFF;
    private int restarts;

    /** The time a service gets to stop after SIGTERM unless it needs longer (agents drain their running ticks). */
    static final Duration STOP_GRACE = Duration.ofSeconds(15);

    ServiceProcess(String name, Path jar, int port, Map<String, String> env, Path logDir) {
        this(name, jar, port, env, logDir, STOP_GRACE);
    }

    ServiceProcess(String name, Path jar, int port, Map<String, String> env, Path logDir, Duration stopGrace) {
        this.name = name;
        this.stopGrace = stopGrace;
        this.jar = jar;
        this.port = port;
        this.env = env;
        this.log = logDir.resolve(name + ".log");
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    Path log() {
        return log;
    }

    long pid() {
        return process.pid();
    }

    /** How often the supervisor has started this service again. */
    synchronized int restarts() {
        return restarts;
    }

    String url() {
        return "http://localhost:" + port;
    }

    void start() {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    name + " is not built (" + jar + " missing): run ./mvnw -B package -DskipTests");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // least privilege: no service inherits the user's credentials; the stack hands each service what it needs
        builder.environment().keySet().removeIf(ServiceProcess::isCredential);
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        try {
            process = builder.start();
            startedAt = Instant.now();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * From now on, restarts the service whenever it exits without {@link #stop()} having been asked for.
     *
     * @param timer schedules the restarts
     * @param console where each exit and restart is reported
     * @param restarted called after each restart (the new pid must reach the run file)
     */
    void supervise(ScheduledExecutorService timer, Consumer<String> console, Runnable restarted) {
        Process watched = process;
        watched.onExit().thenRun(() -> onExit(watched, timer, console, restarted));
    }

    private synchronized void onExit(
            Process exited, ScheduledExecutorService timer, Consumer<String> console, Runnable restarted) {
        if (stopping || exited != process) {
            return;
        }
        Duration up = Duration.between(startedAt, Instant.now());
        if (up.compareTo(STABLE_AFTER) >= 0) {
            backoff = FIRST_BACKOFF;
        }
        Duration wait = backoff;
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        console.accept("[!] " + name + " exited with code " + exited.exitValue() + " after " + up.toSeconds()
                + " s; restarting in " + wait.toSeconds() + " s (log: " + log + ")");
        timer.schedule(() -> restart(timer, console, restarted), wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void restart(ScheduledExecutorService timer, Consumer<String> console, Runnable restarted) {
        synchronized (this) {
            if (stopping) {
                return;
            }
            try {
                start();
            } catch (RuntimeException e) {
                console.accept("[!] " + name + " could not be restarted: " + e.getMessage());
                return;
            }
            restarts++;
            supervise(timer, console, restarted);
        }
        restarted.run();
        // waiting for readiness on its own thread keeps the timer free for other services' restarts
        Thread ready = new Thread(
                () -> {
                    try {
                        awaitReady(Duration.ofSeconds(180));
                        console.accept(
                                "[!] " + name + " is ready again (pid " + pid() + ", restart " + restarts() + ")");
                    } catch (IllegalStateException e) {
                        // it died again while starting: that exit is reported and handled like any other
                        console.accept("[!] " + name + " did not come back: "
                                + e.getMessage().lines().findFirst().orElse(""));
                    }
                },
                name + "-ready");
        ready.setDaemon(true);
        ready.start();
    }

    /** Waits until {@code /q/health/ready} answers 200, or fails with the tail of the service's log. */
    void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2))
                .build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + ". Last lines of "
                        + log + ":\n" + ProcessLogs.tail(log, 30));
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            sleep(250);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s. Last lines of "
                + log + ":\n" + ProcessLogs.tail(log, 30));
    }

    /** Asks the service to stop (SIGTERM), then forces it after its grace period; it is not restarted. */
    void stop() {
        synchronized (this) {
            stopping = true;
        }
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether an inherited environment variable carries a credential: model providers' and clouds' variables, and
     * anything named like a key, token, secret or password.
     */
    static boolean isCredential(String name) {
        String n = name.toUpperCase(java.util.Locale.ROOT);
        for (String prefix : CREDENTIAL_PREFIXES) {
            if (n.startsWith(prefix)) {
                return true;
            }
        }
        return n.endsWith("_KEY")
                || n.endsWith("_TOKEN")
                || n.endsWith("_SECRET")
                || n.endsWith("_PASSWORD")
                || n.endsWith("_CREDENTIALS")
                || n.contains("API_KEY");
    }

    private static final List<String> CREDENTIAL_PREFIXES = List.of(
            "ANTHROPIC_",
            "OPENAI_",
            "AWS_",
            "AZURE_",
            "GOOGLE_",
            "GCP_",
            "GH_",
            "GITHUB_",
            "GITLAB_",
            // chat and pull-request settings: webhook URLs carry secrets; LocalStack hands them to the gate only
            "LOOPLINE_SLACK_",
            "LOOPLINE_OUTBOUND_WEBHOOKS_",
            "LOOPLINE_PR_");
}
