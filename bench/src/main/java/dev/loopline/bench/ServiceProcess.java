package dev.loopline.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A packaged Quarkus service ({@code quarkus-run.jar}) started as its own JVM for a load driver, on a free
 * port, with its output in a log file; {@link #close()} stops it.
 */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final URI base;
    private final Path log;

    private ServiceProcess(String name, Process process, URI base, Path log) {
        this.name = name;
        this.process = process;
        this.base = base;
        this.log = log;
    }

    /**
     * Starts {@code jar} with {@code env} added to this process's environment, and waits until
     * {@code /q/health/ready} answers 200.
     *
     * @param jvmArgs extra JVM options such as {@code -Xmx512m}
     * @throws IllegalArgumentException when the jar is missing (with the command that builds it)
     * @throws IllegalStateException when the service exits or is not ready within {@code readyTimeout}
     */
    public static ServiceProcess start(
            String name, Path jar, Map<String, String> env, List<String> jvmArgs, Duration readyTimeout)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(
                    "no packaged " + name + " at " + jar + " (./mvnw -pl " + name + ",bench -am package -DskipTests)");
        }
        int port = freePort();
        Path log = Path.of("bench", "target", name + "-load.log");
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        ServiceProcess service = new ServiceProcess(name, builder.start(), URI.create("http://127.0.0.1:" + port), log);
        try {
            service.awaitReady(readyTimeout);
        } catch (RuntimeException | IOException | InterruptedException e) {
            service.close();
            throw e;
        }
        return service;
    }

    public URI base() {
        return base;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> ready = http.send(
                        HttpRequest.newBuilder(base.resolve("/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " not ready within " + timeout + "; see " + log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
