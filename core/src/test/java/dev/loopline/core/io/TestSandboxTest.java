package dev.loopline.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TestSandboxTest {

    private static final TestSandbox.Limits LIMITS =
            new TestSandbox.Limits(2L * 1024 * 1024 * 1024, 300, Duration.ofSeconds(90), 10 * 1024 * 1024);

    @TempDir
    Path temp;

    @Test
    void bubblewrapUnsharesEveryNamespaceAndMountsOnlyTheCheckoutAndTmpWritable() throws IOException {
        Path checkout = Files.createDirectories(temp.resolve("work/worktrees/t-1"));
        Path tmp = Files.createDirectories(temp.resolve("work/scratch/run-1/tmp"));
        TestSandbox.Bubblewrap sandbox =
                new TestSandbox.Bubblewrap(Path.of("/usr/bin/bwrap"), Path.of("/usr/bin/prlimit"), null);

        List<String> argv = sandbox.wrap(
                List.of("bash", "-c", "make test"), new TestSandbox.Run(checkout, tmp, List.of(), List.of(), LIMITS));

        assertThat(argv.get(0)).isEqualTo("/usr/bin/bwrap");
        assertThat(argv).contains("--unshare-all", "--die-with-parent", "--new-session");
        assertThat(argv).doesNotContain("--share-net", "--bind-try", "--dev-bind");
        assertThat(pairs(argv, "--ro-bind")).containsExactly("/ /");
        // exactly two writable mounts: the private tmp over /tmp first, the checkout after it
        assertThat(pairs(argv, "--bind")).containsExactly(tmp + " /tmp", checkout + " " + checkout);
        assertThat(argv.indexOf("--chdir")).isGreaterThan(argv.lastIndexOf("--bind"));
        assertThat(argv.subList(argv.indexOf("--chdir"), argv.size()))
                .containsExactly(
                        "--chdir",
                        checkout.toString(),
                        "--",
                        "/usr/bin/prlimit",
                        "--as=2147483648",
                        "--nproc=300",
                        "--cpu=90",
                        "--fsize=10485760",
                        "--core=0",
                        "--",
                        "bash",
                        "-c",
                        "make test");
    }

    @Test
    void homesSocketsAndHiddenDirsBecomeReadOnlyTmpfsAndTheCheckoutIsMountedBackAfterThem() throws IOException {
        // host paths outside /tmp, which the sandbox replaces wholesale (a project cloned under /tmp uses /var/tmp)
        Path target = Path.of("target").toAbsolutePath();
        Path outsideTmp = Files.createDirectories(
                (target.startsWith(TestSandbox.SANDBOX_TMP) ? Path.of("/var/tmp/loopline-sandbox-tests") : target)
                        .resolve("sandbox-argv"));
        Path workDir = Files.createDirectories(outsideTmp.resolve("work"));
        Path checkout = Files.createDirectories(workDir.resolve("worktrees/t-1"));
        Path home = Files.createDirectories(outsideTmp.resolve("home"));
        Path toolchain = Files.createDirectories(home.resolve(".sdk/java/bin"));
        Path tmp = Files.createDirectories(temp.resolve("tmp"));
        TestSandbox.Bubblewrap sandbox =
                new TestSandbox.Bubblewrap(Path.of("/usr/bin/bwrap"), Path.of("/usr/bin/prlimit"), home);

        List<String> argv = sandbox.wrap(
                List.of("true"),
                new TestSandbox.Run(
                        checkout,
                        tmp,
                        List.of(workDir, workDir.resolve("mirrors"), temp.resolve("under-tmp")),
                        List.of(toolchain, Path.of("/usr/bin")),
                        LIMITS));

        List<String> tmpfs = values(argv, "--tmpfs");
        assertThat(tmpfs).contains("/root", workDir.toString(), home.toString());
        // a dir under another hidden one, or under /tmp (replaced anyway), gets no mount of its own
        assertThat(tmpfs)
                .doesNotContain(
                        workDir.resolve("mirrors").toString(),
                        temp.resolve("under-tmp").toString());
        assertThat(values(argv, "--remount-ro")).containsExactlyInAnyOrderElementsOf(tmpfs);
        assertThat(argv.indexOf(checkout.toString())).isGreaterThan(argv.indexOf(workDir.toString()));
        assertThat(argv.lastIndexOf("--remount-ro")).isGreaterThan(argv.lastIndexOf("--bind"));
        // a toolchain inside a hidden home comes back read-only; a visible one needs no mount
        assertThat(pairs(argv, "--ro-bind-try")).containsExactly(toolchain + " " + toolchain);
    }

    @Test
    void relativePathsAreMountedAtTheirAbsoluteLocation() {
        Path relative = Path.of("target/guard-work/worktrees/t-1");
        TestSandbox.Bubblewrap sandbox =
                new TestSandbox.Bubblewrap(Path.of("/usr/bin/bwrap"), Path.of("/usr/bin/prlimit"), null);

        List<String> argv = sandbox.wrap(
                List.of("true"), new TestSandbox.Run(relative, Path.of("tmp-1"), List.of(), List.of(), LIMITS));

        String absolute = relative.toAbsolutePath().toString();
        assertThat(pairs(argv, "--bind"))
                .containsExactly(Path.of("tmp-1").toAbsolutePath() + " /tmp", absolute + " " + absolute);
        assertThat(argv.get(argv.indexOf("--chdir") + 1)).isEqualTo(absolute);
    }

    @Test
    void noneRunsTheCommandAsItIsAndUnavailableRunsNothing() {
        TestSandbox.Run run = new TestSandbox.Run(temp, temp, List.of(), List.of(), LIMITS);

        assertThat(new TestSandbox.None().wrap(List.of("bash", "-c", "x"), run)).containsExactly("bash", "-c", "x");
        assertThat(new TestSandbox.None().name()).isEqualTo("none");
        assertThatThrownBy(() -> new TestSandbox.Unavailable("no bwrap").wrap(List.of("true"), run))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no bwrap");
    }

    @Test
    void detectionSaysWhyWhenBwrapIsMissing() {
        TestSandbox probed = TestSandbox.probe(temp.toString(), null);

        assertThat(probed).isInstanceOf(TestSandbox.Unavailable.class);
        assertThat(((TestSandbox.Unavailable) probed).reason()).contains("apt-get install bubblewrap");
    }

    @Test
    void detectionOnThisHostFindsAWorkingBubblewrap() {
        // ./loopline test installs bubblewrap; the probe runs a real sandbox and checks what it claims
        TestSandbox detected = TestSandbox.detect();

        assertThat(detected).as(detected.description()).isInstanceOf(TestSandbox.Bubblewrap.class);
        assertThat(TestSandbox.detect()).isSameAs(detected);
    }

    @Test
    void asRootTheCommandLeavesRootBeforeItsLimitsAreSetAndNoUserNamespaceMapsItBack() throws IOException {
        Path checkout = Files.createDirectories(temp.resolve("work/worktrees/t-1"));
        Path tmp = Files.createDirectories(temp.resolve("work/scratch/run-1/tmp"));
        TestSandbox.Drop drop = new TestSandbox.Drop(Path.of("/usr/bin/setpriv"), 65534, 65534);
        TestSandbox.Bubblewrap sandbox =
                new TestSandbox.Bubblewrap(Path.of("/usr/bin/bwrap"), Path.of("/usr/bin/prlimit"), null, drop);

        List<String> argv = sandbox.wrap(
                List.of("bash", "-c", "make test"), new TestSandbox.Run(checkout, tmp, List.of(), List.of(), LIMITS));

        assertThat(argv)
                .doesNotContain("--unshare-all", "--unshare-user", "--unshare-user-try", "--share-net")
                .contains("--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent");
        assertThat(argv.subList(argv.indexOf("--chdir") + 3, argv.size()))
                .startsWith(
                        "/usr/bin/setpriv",
                        "--reuid=65534",
                        "--regid=65534",
                        "--clear-groups",
                        "--inh-caps=-all",
                        "--bounding-set=-all",
                        "--",
                        "/usr/bin/prlimit")
                .endsWith("--nproc=300", "--cpu=90", "--fsize=10485760", "--core=0", "--", "bash", "-c", "make test");
    }

    @Test
    void theSandboxUserIsNeverRoot() {
        assertThatThrownBy(() -> new TestSandbox.Drop(Path.of("/usr/bin/setpriv"), 0, 65534))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TestSandbox.Drop(Path.of("/usr/bin/setpriv"), 65534, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void asRootWithoutSetprivNoSandboxIsOfferedBecauseTheProcessLimitWouldNotHold() throws IOException {
        // a PATH with bwrap and prlimit but no setpriv
        Path bin = Files.createDirectories(temp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("bwrap"), Path.of("/usr/bin/bwrap"));
        Files.createSymbolicLink(bin.resolve("prlimit"), Path.of("/usr/bin/prlimit"));

        TestSandbox probed = TestSandbox.probe(bin.toString(), null, true);

        assertThat(probed).isInstanceOf(TestSandbox.Unavailable.class);
        assertThat(((TestSandbox.Unavailable) probed).reason())
                .contains("runs as root")
                .contains("setpriv")
                .contains("process-count limit");
    }

    @Test
    void theProbeRefusesASandboxWhoseCommandWouldStillBeRoot() {
        // told it is not root, the probe keeps the user namespace: on a root host the command is root inside, which
        // the probe must catch; on an ordinary user's host it is that user and the sandbox works
        TestSandbox probed = TestSandbox.probe(System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), null, false);

        assertThat(probed instanceof TestSandbox.Unavailable)
                .as(probed.description())
                .isEqualTo(TestSandbox.runsAsRoot());
    }

    @Test
    void detectionOnARootHostDropsToNobody() {
        TestSandbox detected = TestSandbox.detect();

        assertThat(detected).isInstanceOf(TestSandbox.Bubblewrap.class);
        TestSandbox.Drop drop = ((TestSandbox.Bubblewrap) detected).drop();
        if (TestSandbox.runsAsRoot()) {
            assertThat(drop).isNotNull();
            assertThat(drop.uid()).isEqualTo(TestSandbox.Drop.NOBODY);
        } else {
            assertThat(drop).isNull();
        }
    }

    @ParameterizedTest
    @CsvSource({"600, 2, 1200", "1, 1, 1", "0.4, 4, 4", "90.5, 2, 182"})
    void cpuTimeDefaultsToTheTimeoutTimesTheCores(double timeoutSeconds, int cores, long expected) {
        Duration timeout = Duration.ofMillis((long) (timeoutSeconds * 1000));

        assertThat(TestSandbox.Limits.cpuTimeFor(timeout, cores)).isEqualTo(Duration.ofSeconds(expected));
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new TestSandbox.Limits(0, 1, Duration.ofSeconds(1), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TestSandbox.Limits(1, 0, Duration.ofSeconds(1), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TestSandbox.Limits(1, 1, Duration.ZERO, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TestSandbox.Limits(1, 1, Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** "{source} {dest}" for each occurrence of a two-argument option. */
    private static List<String> pairs(List<String> argv, String option) {
        List<String> found = new java.util.ArrayList<>();
        int end = argv.indexOf("--") < 0 ? argv.size() : argv.indexOf("--");
        for (int i = 0; i < end; i++) {
            if (argv.get(i).equals(option)) {
                found.add(argv.get(i + 1) + " " + argv.get(i + 2));
            }
        }
        return found;
    }

    private static List<String> values(List<String> argv, String option) {
        List<String> found = new java.util.ArrayList<>();
        int end = argv.indexOf("--") < 0 ? argv.size() : argv.indexOf("--");
        for (int i = 0; i < end; i++) {
            if (argv.get(i).equals(option)) {
                found.add(argv.get(i + 1));
            }
        }
        return Collections.unmodifiableList(found);
    }
}
