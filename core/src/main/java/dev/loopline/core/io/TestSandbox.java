package dev.loopline.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
     * Readies a run's directories before {@link #wrap}: a sandbox that runs the command as another user hands it
     * the checkout and the private temp dir. Nothing by default.
     *
     * @throws UncheckedIOException when they cannot be handed over: nothing may run
     */
    default void prepare(Run run) {}

    /**
     * Resource limits of one run, applied with {@code prlimit} to the sandboxed command (each limit is per
     * process, as the kernel's rlimits are).
     *
     * @param memoryBytes address space ({@code RLIMIT_AS}) of each process
     * @param processes processes and threads of the sandbox's user ({@code RLIMIT_NPROC}); the kernel ignores it
     *     for root, so a guard running as root runs the command as {@link Bubblewrap#drop() another user}
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
     * How a guard running as root leaves root before the command starts: {@code setpriv} switches to {@code uid}
     * and {@code gid} with no supplementary groups and no capabilities. The kernel exempts root from {@code
     * RLIMIT_NPROC} (a user namespace would not help: its root maps back to root outside), so without this the
     * process-count limit would not hold.
     */
    record Drop(Path setpriv, int uid, int gid) {
        /** {@code nobody}/{@code nogroup} on Debian and most distributions. */
        public static final int NOBODY = 65534;

        public Drop {
            Objects.requireNonNull(setpriv, "setpriv");
            if (uid <= 0 || gid <= 0) {
                throw new IllegalArgumentException("the sandbox user must not be root");
            }
        }

        List<String> args() {
            return List.of(
                    setpriv.toString(),
                    "--reuid=" + uid,
                    "--regid=" + gid,
                    "--clear-groups",
                    "--inh-caps=-all",
                    "--bounding-set=-all",
                    "--");
        }
    }

    /**
     * bubblewrap ({@code bwrap}), with {@code prlimit} for the limits.
     *
     * @param realHome the guard's own home, hidden besides {@link #ALWAYS_HIDDEN}; may be null
     * @param drop for a guard running as root: the user the command runs as; null for a guard that is an ordinary
     *     user already (bwrap's user namespace maps the command to it)
     */
    record Bubblewrap(Path bwrap, Path prlimit, Path realHome, Drop drop) implements TestSandbox {

        public Bubblewrap(Path bwrap, Path prlimit, Path realHome) {
            this(bwrap, prlimit, realHome, null);
        }

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
            if (drop == null) {
                // every namespace, the network's included: the command sees a loopback interface that is down
                argv.add("--unshare-all");
            } else {
                // as root, the same minus the user namespace: its root would be root outside too, and setpriv
                // could not switch to a user the namespace does not map
                argv.addAll(List.of(
                        "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"));
            }
            argv.addAll(List.of("--die-with-parent", "--new-session"));
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
            if (drop != null) {
                argv.addAll(drop.args());
            }
            argv.add(prlimit.toString());
            argv.addAll(run.limits().prlimitArgs());
            argv.add("--");
            argv.addAll(command);
            return argv;
        }

        @Override
        public void prepare(Run run) {
            if (drop == null) {
                return;
            }
            // the command may write only where it may write anyway: its checkout and its private temp dir
            chownTree(run.checkout(), drop);
            chownTree(run.tempDir(), drop);
        }

        private static void chownTree(Path root, Drop drop) {
            try (var walk = Files.walk(root)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    Files.setAttribute(p, "unix:uid", drop.uid(), LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(p, "unix:gid", drop.gid(), LinkOption.NOFOLLOW_LINKS);
                }
            } catch (IOException | UncheckedIOException | UnsupportedOperationException e) {
                throw new UncheckedIOException(
                        "cannot hand " + root + " to the sandbox user " + drop.uid(),
                        e instanceof IOException io ? io : new IOException(e));
            }
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
        return probe(path, realHome, runsAsRoot());
    }

    /** {@code asRoot}: whether this JVM runs as root, which decides how the process-count limit is made to hold. */
    static TestSandbox probe(String path, Path realHome, boolean asRoot) {
        Path bwrap = onPath(path, "bwrap");
        if (bwrap == null) {
            return new Unavailable("bwrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)");
        }
        Path prlimit = onPath(path, "prlimit");
        if (prlimit == null) {
            return new Unavailable("prlimit is not installed (util-linux)");
        }
        Drop drop = null;
        if (asRoot) {
            Path setpriv = onPath(path, "setpriv");
            if (setpriv == null) {
                // fail closed: as root, the process-count limit holds only once the command is not root
                return new Unavailable("the guard runs as root and setpriv (util-linux) is not installed, so test"
                        + " commands cannot leave root and the process-count limit would not hold; install"
                        + " util-linux or run the guard as an ordinary user");
            }
            drop = new Drop(setpriv, Drop.NOBODY, Drop.NOBODY);
        }
        Bubblewrap sandbox = new Bubblewrap(bwrap, prlimit, realHome, drop);
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
            // the probe proves more than that bwrap starts: the checkout and /tmp are writable, the rest is not,
            // and the command is not root (for whom the kernel would not enforce the process-count limit)
            Run run = new Run(checkout, tmp, List.of(), List.of(), limits);
            sandbox.prepare(run);
            List<String> argv = sandbox.wrap(
                    List.of(
                            "/bin/sh",
                            "-c",
                            "touch ./probe && touch /tmp/probe && ! touch /usr/probe 2>/dev/null"
                                    + " && [ \"$(id -u)\" != 0 ]"),
                    run);
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

    /** Whether this JVM runs as root (uid 0); false when that cannot be read, so no drop is attempted blindly. */
    static boolean runsAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
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
