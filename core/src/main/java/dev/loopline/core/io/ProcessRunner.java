package dev.loopline.core.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external process with a hard timeout, captures its combined output (bounded), and kills the
 * whole process tree on timeout. Used for git and for test commands; never through a shell unless the
 * caller passes one explicitly.
 */
public final class ProcessRunner {

    /** Output kept per run; the head and the tail beyond this are dropped. */
    public static final int MAX_CAPTURED_BYTES = 1 << 20;

    public record Result(int exitCode, boolean timedOut, String output, Duration duration) {
        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }

        /** The last {@code maxChars} characters of the output, for reports and reflections. */
        public String outputTail(int maxChars) {
            return output.length() <= maxChars ? output : output.substring(output.length() - maxChars);
        }
    }

    private static final java.util.concurrent.Executor OUTPUT_READERS = runnable -> {
        Thread reader = new Thread(runnable, "process-output-reader");
        reader.setDaemon(true);
        reader.start();
    };

    private ProcessRunner() {}

    public static Result run(List<String> command, Path workDir, Map<String, String> env, Duration timeout) {
        return run(command, workDir, env, timeout, null);
    }

    /**
     * @param stdin text written to the process's standard input, or {@code null} for none
     * @throws UncheckedIOException when the program cannot be started at all (for example it is missing)
     */
    public static Result run(
            List<String> command, Path workDir, Map<String, String> env, Duration timeout, String stdin) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        builder.environment().putAll(env);
        long start = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
        // A dedicated reader per process: on the common pool (one thread on a 2-core machine) a long-running
        // process would stall the output of every other process started meanwhile.
        CompletableFuture<byte[]> output =
                CompletableFuture.supplyAsync(() -> drain(process.getInputStream()), OUTPUT_READERS);
        try {
            if (stdin != null) {
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // The process may exit without reading its input; its exit code tells the rest.
        }
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            killTree(process);
        }
        String text = new String(output.join(), StandardCharsets.UTF_8);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new Result(finished ? process.exitValue() : -1, !finished, text, took);
    }

    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] drain(InputStream in) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (kept.size() + n > MAX_CAPTURED_BYTES) {
                    byte[] all = kept.toByteArray();
                    int keep = Math.max(0, MAX_CAPTURED_BYTES / 2);
                    kept.reset();
                    kept.write(all, all.length - Math.min(all.length, keep), Math.min(all.length, keep));
                }
                kept.write(buffer, 0, n);
            }
        } catch (IOException ignored) {
            // Stream closed because the process was killed; keep what was read.
        }
        return kept.toByteArray();
    }
}
