package dev.loopline.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where an untrusted test command runs. {@link Bubblewrap} contains it (own user, network, pid, ipc and uts
 * namespaces; read-only root; writable checkout and private temp dir only; home and credential locations
 * hidden; resource limits); {@link None} is the operator's explicit opt-out; {@link Unavailable} means no
 * sandbox could be set up, and a caller that honours it refuses to run the command (fail closed).
 */
public sealed interface TestSandbox permits TestSandbox.Bubblewrap, TestSandbox.None, TestSandbox.Unavailable {

    /** {@code bubblewrap}, {@code none} or {@code unavailable}: what a verdict reports. */
    String name();

    /** One clause for a verdict's reason: what this sandbox denied the command. */
    String description();

    /**
     * The argv that runs {@code command} (an argv itself, e.g. {@code bash -c …}) inside this sandbox.
     *
     * @throws IllegalStateException for {@link Unavailable}: nothing may run
     */
    List<String> wrap(List<String> command, Run run);

    /**
     * Resource limits of one run, applied with {@code prlimit} to the sandboxed command (each limit is per
     * process, as the kernel's rlimits are).
     *
     * @param memoryBytes address space ({@code RLIMIT_AS}) of each process
     * @param processes processes and threads of the sandbox's user ({@code RLIMIT_NPROC}); the kernel does not
     *     enforce it when the guard runs as root (the sandbox's user maps to root outside), only for a guard that
     *     runs as an ordinary user, as it does on Kubernetes
     * @param cpuTime CPU time of each process ({@code RLIMIT_CPU}), whole seconds, at least one
     * @param fileSizeBytes largest file a process may write ({@code RLIMIT_FSIZE})
     */
    record Limits(long memoryBytes, int processes, Duration cpuTime, long fileSizeBytes) {

        public static final long DEFAULT_MEMORY_BYTES = 4L * 1024 * 1024 * 1024;
        public static final int DEFAULT_PROCESSES = 1024;
        public static final long DEFAULT_FILE_SIZE_BYTES = 1024L * 1024 * 1024;

        public Limits {
            if (memoryBytes <= 0 || processes <= 0 || fileSizeBytes <= 0) {
                throw new IllegalArgumentException("limits must be positive");
            }
            Objects.requireNonNull(cpuTime, "cpuTime");
            if (cpuTime.isNegative() || cpuTime.isZero()) {
                throw new IllegalArgumentException("cpuTime must be positive");
            }
        }

        /**
         * CPU time a run may use when the operator does not set one: the wall-clock timeout times the cores,
         * so that a multi-threaded build that stays within its timeout is never killed for CPU.
         */
        public static Duration cpuTimeFor(Duration timeout, int cores) {
            long seconds = Math.max(1, (long) Math.ceil(timeout.toMillis() / 1000.0)) * Math.max(1, cores);
            return Duration.ofSeconds(seconds);
        }

        List<String> prlimitArgs() {
            long cpuSeconds = Math.max(1, (long) Math.ceil(cpuTime.toMillis() / 1000.0));
            return List.of(
                    "--as=" + memoryBytes,
                    "--nproc=" + processes,
                    "--cpu=" + cpuSeconds,
                    "--fsize=" + fileSizeBytes,
                    "--core=0");
        }
    }

    /**
     * One run's layout.
     *
     * @param checkout mounted read-write at its own path; the command's working directory
     * @param tempDir a fresh host directory for this run only, mounted read-write at {@code /tmp}
     * @param hidden directories replaced by an empty read-only tmpfs (the guard's work dir with every other
     *     mirror and checkout, homes, credential stores); the checkout is mounted back afterwards
     * @param readOnly host paths mounted back read-only when they lie strictly under a hidden directory (a
     *     toolchain on PATH or JAVA_HOME installed in a home, say); others are visible already, missing ones
     *     are skipped
     */
    record Run(Path checkout, Path tempDir, List<Path> hidden, List<Path> readOnly, Limits limits) {
        public Run {
            Objects.requireNonNull(checkout, "checkout");
            Objects.requireNonNull(tempDir, "tempDir");
            hidden = List.copyOf(hidden);
            readOnly = List.copyOf(readOnly);
            Objects.requireNonNull(limits, "limits");
        }
    }

    /** Where the sandboxed command sees its private temp dir, and its (empty, writable) home inside it. */
    String SANDBOX_TMP = "/tmp";

    String SANDBOX_HOME = "/tmp/home";

    /**
     * Directories hidden in every bubblewrap run whatever the caller asks: homes (ssh keys, cloud and git
     * host credentials, registry tokens), runtime sockets (a Docker or containerd socket stays connectable on
     * a read-only mount) and mounted secrets (a Kubernetes service-account token).
     */
    List<Path> ALWAYS_HIDDEN = List.of(
            Path.of("/root"), Path.of("/home"), Path.of("/run"), Path.of("/var/run"), Path.of("/var/lib/docker"));

    /**
     * bubblewrap ({@code bwrap}), with {@code prlimit} for the limits.
     *
     * @param realHome the guard's own home, hidden besides {@link #ALWAYS_HIDDEN}; may be null
     */
    record Bubblewrap(Path bwrap, Path prlimit, Path realHome) implements TestSandbox {

        @Override
        public String name() {
            return "bubblewrap";
        }

        @Override
        public String description() {
            return "no network, read-only outside the checkout, no credentials";
        }

        @Override
        public List<String> wrap(List<String> command, Run run) {
            // bwrap resolves a relative destination against the sandbox's root, not our working directory
            String checkout = run.checkout().toAbsolutePath().normalize().toString();
            String tempDir = run.tempDir().toAbsolutePath().normalize().toString();
            List<String> argv = new ArrayList<>();
            argv.add(bwrap.toString());
            // every namespace, the network's included: the command sees a loopback interface that is down
            argv.addAll(List.of("--unshare-all", "--die-with-parent", "--new-session"));
            argv.addAll(List.of("--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"));
            Set<Path> hide = new LinkedHashSet<>(ALWAYS_HIDDEN);
            if (realHome != null) {
                hide.add(realHome);
            }
            hide.addAll(run.hidden());
            List<Path> hiddenDirs = new ArrayList<>();
            for (Path dir : minimal(hide)) {
                String target = dir.toString();
                // whatever lies under /tmp is gone with the private temp dir; remounting it read-only later
                // would hit that temp dir instead
                if (dir.getNameCount() == 0 || dir.startsWith(SANDBOX_TMP)) {
                    continue;
                }
                argv.addAll(List.of("--tmpfs", target));
                hiddenDirs.add(dir);
            }
            // the private temp dir replaces /tmp before the checkout is bound: a checkout under /tmp stays visible
            argv.addAll(List.of("--bind", tempDir, SANDBOX_TMP));
            for (Path path : run.readOnly()) {
                Path p = path.toAbsolutePath().normalize();
                boolean hiddenHere = p.startsWith(SANDBOX_TMP)
                        || hiddenDirs.stream().anyMatch(dir -> p.startsWith(dir) && !p.equals(dir));
                if (hiddenHere) {
                    argv.addAll(List.of("--ro-bind-try", p.toString(), p.toString()));
                }
            }
            argv.addAll(List.of("--bind", checkout, checkout));
            // the hiding tmpfs become read-only once their mount points exist: a write there fails loudly
            // instead of vanishing with the sandbox
            for (Path dir : hiddenDirs) {
                argv.addAll(List.of("--remount-ro", dir.toString()));
            }
            argv.addAll(List.of("--chdir", checkout, "--"));
            argv.add(prlimit.toString());
            argv.addAll(run.limits().prlimitArgs());
            argv.add("--");
            argv.addAll(command);
            return argv;
        }

        /**
         * The existing directories among {@code dirs}, symbolic links resolved ({@code /var/run} is {@code /run}),
         * without those that lie under another one of the set (its tmpfs hides them already).
         */
        private static List<Path> minimal(Set<Path> dirs) {
            List<Path> normal = new ArrayList<>();
            for (Path dir : dirs) {
                try {
                    if (Files.isDirectory(dir)) {
                        Path real = dir.toRealPath();
                        if (!normal.contains(real)) {
                            normal.add(real);
                        }
                    }
                } catch (IOException e) {
                    // gone since: nothing to hide
                }
            }
            return normal.stream()
                    .filter(p -> normal.stream().noneMatch(q -> !q.equals(p) && p.startsWith(q)))
                    .toList();
        }
    }

    /** The operator turned the sandbox off: the command runs as the guard's user, with its time limit only. */
    record None() implements TestSandbox {
        @Override
        public String name() {
            return "none";
        }

        @Override
        public String description() {
            return "unsandboxed: disabled by the operator";
        }

        @Override
        public List<String> wrap(List<String> command, Run run) {
            return List.copyOf(command);
        }
    }

    /** No sandbox could be set up; {@code reason} says why (bwrap missing, user namespaces forbidden, …). */
    record Unavailable(String reason) implements TestSandbox {
        @Override
        public String name() {
            return "unavailable";
        }

        @Override
        public String description() {
            return "no sandbox available: " + reason;
        }

        @Override
        public List<String> wrap(List<String> command, Run run) {
            throw new IllegalStateException("no sandbox available: " + reason);
        }
    }

    /**
     * bubblewrap when it is installed and actually works here (nested user namespaces may be forbidden, e.g.
     * inside an unprivileged container), otherwise {@link Unavailable} with the reason. Probes once per JVM.
     */
    static TestSandbox detect() {
        return Detection.RESULT.get();
    }

    /** The probe behind {@link #detect()}, for a given PATH and home; not cached. */
    static TestSandbox probe(String path, Path realHome) {
        Path bwrap = onPath(path, "bwrap");
        if (bwrap == null) {
            return new Unavailable("bwrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)");
        }
        Path prlimit = onPath(path, "prlimit");
        if (prlimit == null) {
            return new Unavailable("prlimit is not installed (util-linux)");
        }
        Bubblewrap sandbox = new Bubblewrap(bwrap, prlimit, realHome);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("loopline-sandbox-probe-");
            Path checkout = Files.createDirectories(dir.resolve("checkout"));
            Path tmp = Files.createDirectories(dir.resolve("tmp"));
            Limits limits = new Limits(
                    Limits.DEFAULT_MEMORY_BYTES,
                    Limits.DEFAULT_PROCESSES,
                    Duration.ofSeconds(10),
                    Limits.DEFAULT_FILE_SIZE_BYTES);
            // the probe proves more than that bwrap starts: the checkout and /tmp are writable, the rest is not
            List<String> argv = sandbox.wrap(
                    List.of("/bin/sh", "-c", "touch ./probe && touch /tmp/probe && ! touch /usr/probe 2>/dev/null"),
                    new Run(checkout, tmp, List.of(), List.of(), limits));
            ProcessRunner.Result result = ProcessRunner.run(argv, null, Map.of("PATH", path), Duration.ofSeconds(30));
            if (!result.ok()) {
                return new Unavailable("bwrap cannot create a sandbox here (exit " + result.exitCode() + ": "
                        + result.outputTail(300).strip() + ")");
            }
            return sandbox;
        } catch (IOException | UncheckedIOException e) {
            return new Unavailable("the sandbox probe failed: " + e.getMessage());
        } finally {
            if (dir != null) {
                try {
                    GitMirror.deleteRecursively(dir);
                } catch (IOException ignored) {
                    // a leftover probe directory in the temp dir is harmless
                }
            }
        }
    }

    private static Path onPath(String path, String program) {
        for (String entry : path.split(":")) {
            if (entry.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(entry, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Holder of the once-per-JVM probe. */
    final class Detection {
        private static final java.util.function.Supplier<TestSandbox> RESULT = memoize();

        private Detection() {}

        private static java.util.function.Supplier<TestSandbox> memoize() {
            return new java.util.function.Supplier<>() {
                private TestSandbox value;

                @Override
                public synchronized TestSandbox get() {
                    if (value == null) {
                        String home = System.getProperty("user.home");
                        value = probe(
                                System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"),
                                home == null || home.isBlank() ? null : Path.of(home));
                    }
                    return value;
                }
            };
        }
    }
}
