package dev.loopline.core.io;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an untrusted shell command ({@code bash -c}) — a test command, a shell maker — in its own session
 * with a clean environment, its output in a file rather than a pipe, and a hard timeout.
 *
 * <p>Why not {@link ProcessRunner}: a command that leaves a background child holding the output pipe
 * would block a pipe reader forever, and children that outlive the shell would be left running. Here the
 * command is started with {@code setsid}, so the shell's process id is also its process group id, and the
 * whole group is killed when the shell ends or times out.
 */
public final class ShellCommand {

    /** Bytes read from the end of the output file to build the tail. */
    private static final int TAIL_READ_BYTES = 64 * 1024;

    private static final boolean HAS_SETSID =
            Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"));

    public record Result(int exitCode, boolean timedOut, Duration duration, String outputTail) {
        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }
    }

    private ShellCommand() {}

    /**
     * @param env the complete environment of the command (nothing of this JVM's environment is inherited)
     * @param output file receiving stdout and stderr; must be outside {@code dir}
     * @param tailChars how many trailing characters of the output the result keeps
     * @throws UncheckedIOException when bash cannot be started at all
     */
    public static Result run(
            String command, Path dir, Map<String, String> env, Duration timeout, Path output, int tailChars) {
        return run(argv(command), dir, env, timeout, output, tailChars);
    }

    /** {@code bash -c command}: what {@link #run(String, Path, Map, Duration, Path, int)} runs, to wrap. */
    public static List<String> argv(String command) {
        return List.of("bash", "-c", command);
    }

    /**
     * Runs a program given as argv (a {@link #argv(String) bash command} wrapped in a {@link TestSandbox}),
     * with the same session, environment, output and timeout handling.
     *
     * @throws UncheckedIOException when the program cannot be started at all
     */
    public static Result run(
            List<String> program, Path dir, Map<String, String> env, Duration timeout, Path output, int tailChars) {
        List<String> argv = new ArrayList<>();
        if (HAS_SETSID) {
            argv.add("setsid");
        }
        argv.addAll(program);
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(env);
        long start = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + program.get(0) + ": " + e.getMessage(), e);
        }
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        } finally {
            killTree(process);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new Result(finished ? process.exitValue() : -1, !finished, took, tail(output, tailChars));
    }

    /** Kills the shell, its descendants, and whatever is left of its process group (background jobs). */
    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (HAS_SETSID) {
            // The group outlives its leader while members remain; Linux does not reuse a pid that is still
            // a process group id, so this cannot hit an unrelated group.
            ProcessRunner.run(
                    List.of("bash", "-c", "kill -KILL -- -" + process.pid() + " 2>/dev/null; true"),
                    null,
                    Map.of(),
                    Duration.ofSeconds(10));
        }
    }

    private static String tail(Path output, int tailChars) {
        try (RandomAccessFile file = new RandomAccessFile(output.toFile(), "r")) {
            long length = file.length();
            int read = (int) Math.min(length, TAIL_READ_BYTES);
            byte[] bytes = new byte[read];
            file.seek(length - read);
            file.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            return text.length() <= tailChars ? text : text.substring(text.length() - tailChars);
        } catch (IOException e) {
            return "";
        }
    }
}
