package dev.loopline.core.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.loopline.core.guard.command.Decision;
import dev.loopline.core.io.Git;
import dev.loopline.core.io.GitMirror;
import dev.loopline.core.io.TestSandbox;
import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.ChangeVerified.Verdict;
import dev.loopline.schemas.events.Usage;
import dev.loopline.schemas.spec.LoopSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sandbox itself, with real processes: test commands that reach for the network, write outside their
 * checkout or read credentials fail in bubblewrap, and the verdict says which sandbox ran and why it failed.
 *
 * <p>The command guard is replaced by one that allows everything: these commands must be stopped by the
 * sandbox, the line of defence behind the guard. The work dir lives under {@code target/}, not under
 * {@code /tmp}, so what the sandbox hides is hidden by its own rules, not by the private {@code /tmp}.
 */
class SandboxedTestRunTest {

    private static final String KEY = "-----BEGIN OPENSSH PRIVATE KEY----- fake-key-" + UUID.randomUUID();

    private Path base;
    private Path workDir;
    private Path fakeHome;
    private Path sibling;
    private Path outside;
    private TestRepo repo;
    private GitMirror mirrors;
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void setUp() throws IOException {
        base = Files.createTempDirectory(outsideTmp(), "sandbox-test-");
        workDir = base.resolve("work");
        repo = TestRepo.create(Files.createDirectories(base.resolve("source"))).write("hello.txt", "hello\n");
        repo.commit("initial");
        mirrors = new GitMirror(new Git(), workDir);
        // a home like the guard's own, and a neighbour of the work dir (another service's files)
        fakeHome = Files.createTempDirectory(outsideTmp(), "sandbox-home-");
        writeKey(fakeHome.resolve(".ssh/id_rsa"));
        sibling = base.resolve("agent-work");
        writeKey(sibling.resolve(".ssh/id_rsa"));
        // a host directory outside everything the sandbox hides: visible, but read-only
        outside = Files.createTempDirectory(outsideTmp(), "sandbox-outside-");
        Files.writeString(outside.resolve("victim.txt"), "original\n");
        // writable by everyone, so that only the sandbox's read-only mount stands in the way (a root guard runs the
        // command as nobody, whom the temp dir's own 0700 would stop first)
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(outside.resolve("victim.txt"), PosixFilePermissions.fromString("rw-rw-rw-"));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "reached\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    /**
     * Where the test's host directories go: the module's {@code target/}, unless the project itself lies under
     * {@code /tmp} (a clone in a temporary folder), which the sandbox replaces wholesale, so nothing there could
     * show what it hides or leaves read-only; then {@code /var/tmp}.
     */
    static Path outsideTmp() throws IOException {
        Path target = Path.of("target").toAbsolutePath();
        return target.startsWith(TestSandbox.SANDBOX_TMP)
                ? Files.createDirectories(Path.of("/var/tmp/loopline-sandbox-tests"))
                : Files.createDirectories(target);
    }

    @AfterEach
    void tearDown() throws IOException {
        server.stop(0);
        for (Path dir : List.of(base, outside, fakeHome)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static Stream<Arguments> networkAttempts() {
        return Stream.of(
                Arguments.of("curl to a listening local port", "curl -sS --max-time 5 http://127.0.0.1:%d/"),
                Arguments.of("bash /dev/tcp to a listening local port", "exec 3<>/dev/tcp/127.0.0.1/%d && echo sent"),
                Arguments.of("curl to a host name", "curl -sS --max-time 5 http://example.com:%d/"),
                Arguments.of(
                        "python socket",
                        "/usr/bin/python3 -c 'import socket; socket.create_connection((\"127.0.0.1\", %d), 5)'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networkAttempts")
    void aTestThatReachesForTheNetworkFailsAndTheVerdictSaysWhy(String name, String template) {
        String command = template.formatted(server.getAddress().getPort());

        ChangeVerified verified = sandboxed(bubblewrap()).verify(proposal(command), "net-1");

        assertThat(verified.verdict()).isEqualTo(Verdict.REJECT);
        assertThat(verified.test().sandbox()).isEqualTo("bubblewrap");
        assertThat(verified.reasons())
                .singleElement()
                .asString()
                .startsWith("tests failed (exit ")
                .contains("(sandbox: bubblewrap — no network")
                .endsWith("; " + SandboxHints.NETWORK);
        assertThat(requests).hasValue(0);
    }

    @Test
    void theSameNetworkCommandReachesTheServerWhenTheOperatorTurnsTheSandboxOff() {
        // the control: the server is reachable, so the sandboxed failures above are the sandbox's doing
        String command =
                "curl -sS --max-time 5 http://127.0.0.1:" + server.getAddress().getPort() + "/";

        ChangeVerified verified = sandboxed(new TestSandbox.None()).verify(proposal(command), "net-2");

        assertThat(verified.verdict()).isEqualTo(Verdict.ACCEPT);
        assertThat(verified.reasons())
                .containsExactly("tests passed (sandbox: none — unsandboxed: disabled by the operator)");
        assertThat(verified.test().sandbox()).isEqualTo("none");
        assertThat(requests).hasValue(1);
    }

    @Test
    void aTestThatOverwritesAHostFileOutsideItsCheckoutFailsAndTheFileIsUnchanged() throws IOException {
        Path victim = outside.resolve("victim.txt");

        ChangeVerified verified = sandboxed(bubblewrap()).verify(proposal("echo pwned > " + victim), "w-1");

        assertThat(verified.verdict()).isEqualTo(Verdict.REJECT);
        assertThat(verified.reasons())
                .singleElement()
                .asString()
                .contains("(sandbox: bubblewrap")
                .endsWith("; " + SandboxHints.READ_ONLY);
        assertThat(verified.test().outputTail()).contains("Read-only file system");
        assertThat(victim).hasContent("original");
    }

    static Stream<Arguments> writesOutside() {
        return Stream.of(
                Arguments.of("a new file next to a host file", "touch %1$s/planted"),
                Arguments.of("a new directory", "mkdir %1$s/planted"),
                Arguments.of("a symlink in the checkout pointing out", "ln -s %1$s/planted link && echo x > link"),
                Arguments.of("a file under /var/tmp", "echo x > /var/tmp/%2$s"),
                Arguments.of("a file in /usr/local", "echo x > /usr/local/%2$s"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writesOutside")
    void aTestThatWritesOutsideItsCheckoutFails(String name, String template) {
        String marker = "loopline-sandbox-" + UUID.randomUUID();
        String command = template.formatted(outside, marker);

        ChangeVerified verified = sandboxed(bubblewrap()).verify(proposal(command), "w-2");

        assertThat(verified.verdict()).isEqualTo(Verdict.REJECT);
        assertThat(verified.reasons()).singleElement().asString().endsWith("; " + SandboxHints.READ_ONLY);
        assertThat(outside.resolve("planted")).doesNotExist();
        assertThat(Path.of("/var/tmp", marker)).doesNotExist();
        assertThat(Path.of("/usr/local", marker)).doesNotExist();
    }

    @Test
    void aTestThatPlantsAHookInItsMirrorFindsNoMirror() throws IOException {
        // every mirror (and every other loop's checkout) lives in the work dir, which the sandbox hides
        Path hooks = workDir.resolve("mirrors");
        String command =
                "for m in " + hooks + "/*.git; do echo evil > $m/hooks/post-checkout || exit 9; done;" + " ls " + hooks;

        ChangeVerified verified = sandboxed(bubblewrap()).verify(proposal(command), "w-3");

        assertThat(verified.verdict()).isEqualTo(Verdict.REJECT);
        try (Stream<Path> mirrorsOnHost = Files.list(hooks)) {
            assertThat(mirrorsOnHost).allSatisfy(m -> assertThat(m.resolve("hooks/post-checkout"))
                    .doesNotExist());
        }
    }

    static Stream<Arguments> credentialReads() {
        return Stream.of(
                Arguments.of("the key in $HOME", "cat $HOME/.ssh/id_rsa"),
                Arguments.of("the key in ~", "cat ~/.ssh/id_rsa"),
                Arguments.of("the guard's real home", "cat %1$s/.ssh/id_rsa"),
                Arguments.of("a neighbour of the work dir", "cat %2$s/.ssh/id_rsa"),
                Arguments.of("a listing of the guard's home", "ls %1$s/.ssh && cat %1$s/.ssh/*"),
                Arguments.of("a search of the root's home", "ls /root/.ssh"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("credentialReads")
    void aTestThatReadsSshKeysFailsAndTheVerdictSaysWhy(String name, String template) {
        String command = template.formatted(fakeHome, sibling);

        ChangeVerified verified = sandboxed(bubblewrap()).verify(proposal(command), "ssh-1");

        assertThat(verified.verdict()).isEqualTo(Verdict.REJECT);
        assertThat(verified.test().outputTail()).doesNotContain("fake-key-");
        assertThat(verified.reasons())
                .singleElement()
                .asString()
                .contains("(sandbox: bubblewrap")
                .endsWith("; " + SandboxHints.HIDDEN);
    }

    @Test
    void theEnvironmentCarriesNoCredentialsAndAnEmptyWritableHome() {
        String command = "env | sort > env.txt; test \"$HOME\" = /tmp/home && test -z \"$(ls -A $HOME)\""
                + " && touch $HOME/.cache-ok && test \"$TMPDIR\" = /tmp"
                + " && ! env | grep -Eiq 'token|secret|password|_key=|^LOOPLINE_|^AWS_|^GITHUB_'";

        ChangeVerified verified = sandboxed(bubblewrap()).verify(proposal(command), "env-1");

        assertThat(verified.verdict()).as(verified.test().outputTail()).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void anHonestTestThatWritesInsideItsCheckoutAndTmpPasses() {
        String command = "mkdir -p build && echo ok > build/out.txt && t=$(mktemp) && echo x > $t"
                + " && echo y > /tmp/scratch.txt && grep -q world hello.txt && cat build/out.txt";

        ChangeVerified verified = sandboxed(bubblewrap()).verify(proposal(command), "ok-1");

        assertThat(verified.verdict()).as(verified.test().outputTail()).isEqualTo(Verdict.ACCEPT);
        assertThat(verified.reasons())
                .containsExactly("tests passed (sandbox: bubblewrap — no network, read-only outside the checkout,"
                        + " no credentials)");
        assertThat(verified.test().sandbox()).isEqualTo("bubblewrap");
        assertThat(verified.test().outputTail()).isEqualTo("ok\n");
    }

    @Test
    void theLimitsApplyToTheCommandAndAFileOverTheSizeLimitFails() {
        SandboxPolicy tight = new SandboxPolicy(
                bubblewrap(), 1024L * 1024 * 1024, 200, Optional.of(Duration.ofSeconds(7)), 1024 * 1024, List.of());
        Verifier limited = new Verifier(
                mirrors,
                new Git(),
                Duration.ofSeconds(30),
                List.of(),
                (spec, command) -> Decision.allow(),
                workDir.resolve("scratch"),
                tight);
        String limits = "test \"$(ulimit -v)\" = 1048576 && test \"$(ulimit -u)\" = 200"
                + " && test \"$(ulimit -t)\" = 7 && test \"$(ulimit -c)\" = 0 && echo limits-ok";

        ChangeVerified within = limited.verify(proposal(limits + " && head -c 512K /dev/zero > small"), "lim-1");
        ChangeVerified over = limited.verify(proposal("head -c 2M /dev/zero > big"), "lim-2");

        assertThat(within.verdict()).as(within.test().outputTail()).isEqualTo(Verdict.ACCEPT);
        assertThat(within.test().outputTail()).isEqualTo("limits-ok\n");
        assertThat(over.verdict()).isEqualTo(Verdict.REJECT);
        assertThat(over.test().outputTail()).contains("File size limit exceeded");
        assertThat(over.reasons())
                .singleElement()
                .asString()
                .contains("the sandbox's file-size limit (1048576 bytes) was reached");
    }

    @Test
    void aForkBombIsStoppedByTheProcessLimitAndTheVerdictSaysWhichLimit() {
        // bounded: at most 300 sleeps, which the pid namespace ends with the run; without the limit they would all
        // start and `wait` would outlast the 20 s timeout. dash (sh) gives up on the first refused fork.
        Verifier limited = limitedTo(40);
        String bomb = "sh -c 'i=0; while [ $i -lt 300 ]; do sleep 60 & i=$((i+1)); done; wait'";

        ChangeVerified verified = limited.verify(proposal(bomb), "nproc-1");

        assertThat(verified.verdict()).isEqualTo(Verdict.REJECT);
        assertThat(verified.test().timedOut()).as(verified.test().outputTail()).isFalse();
        assertThat(verified.test().outputTail()).contains("Cannot fork");
        assertThat(verified.reasons())
                .singleElement()
                .asString()
                .startsWith("tests failed (exit ")
                .contains("the sandbox's process-count limit (40 processes and threads) was reached");
    }

    @Test
    void theCommandNeverRunsAsRootSoTheProcessLimitHoldsForARootGuardToo() {
        // the kernel does not apply RLIMIT_NPROC to root: a guard running as root must not run tests as root
        String command = "test \"$(id -u)\" != 0 && test \"$(id -g)\" != 0 && ! cat /etc/shadow 2>/dev/null"
                + " && test \"$(ulimit -u)\" = 40 && echo not-root";

        ChangeVerified verified = limitedTo(40).verify(proposal(command), "nproc-2");

        assertThat(verified.verdict()).as(verified.test().outputTail()).isEqualTo(Verdict.ACCEPT);
        assertThat(verified.test().outputTail()).isEqualTo("not-root\n");
    }

    private Verifier limitedTo(int processes) {
        SandboxPolicy policy = new SandboxPolicy(
                bubblewrap(),
                TestSandbox.Limits.DEFAULT_MEMORY_BYTES,
                processes,
                Optional.empty(),
                TestSandbox.Limits.DEFAULT_FILE_SIZE_BYTES,
                List.of());
        return new Verifier(
                mirrors,
                new Git(),
                Duration.ofSeconds(20),
                List.of(),
                (spec, command) -> Decision.allow(),
                workDir.resolve("scratch"),
                policy);
    }

    @Test
    void withNoUsableSandboxTheVerdictEscalatesAndTheCommandNeverRuns() {
        Path marker = outside.resolve("ran");
        TestSandbox unavailable = new TestSandbox.Unavailable("bwrap is not installed");

        ChangeVerified verified = sandboxed(unavailable).verify(proposal("touch " + marker), "none-1");

        assertThat(verified.verdict()).isEqualTo(Verdict.ESCALATE);
        assertThat(verified.test()).isNull();
        assertThat(verified.reasons())
                .singleElement()
                .asString()
                .startsWith("tests not run: no test sandbox available (bwrap is not installed)")
                .contains("apt-get install bubblewrap")
                .contains("LOOPLINE_GUARD_SANDBOX_MODE=none");
        assertThat(marker).doesNotExist();
    }

    @Test
    void withTheSandboxTurnedOffTheCommandRunsOnTheHostAndTheVerdictSaysSo() {
        Path marker = outside.resolve("ran");

        ChangeVerified verified = sandboxed(new TestSandbox.None()).verify(proposal("touch " + marker), "none-2");

        assertThat(verified.verdict()).isEqualTo(Verdict.ACCEPT);
        assertThat(verified.test().sandbox()).isEqualTo("none");
        assertThat(verified.reasons()).singleElement().asString().contains("sandbox: none");
        assertThat(marker).exists();
    }

    /** The host's bubblewrap, with the fake home standing in for the guard's real one. */
    private TestSandbox bubblewrap() {
        TestSandbox detected = TestSandbox.detect();
        assertThat(detected)
                .as("bubblewrap must work on this host (./loopline test installs it): %s", detected.description())
                .isInstanceOf(TestSandbox.Bubblewrap.class);
        TestSandbox.Bubblewrap host = (TestSandbox.Bubblewrap) detected;
        return new TestSandbox.Bubblewrap(host.bwrap(), host.prlimit(), fakeHome, host.drop());
    }

    private Verifier sandboxed(TestSandbox sandbox) {
        return new Verifier(
                mirrors,
                new Git(),
                Duration.ofSeconds(30),
                List.of(),
                (spec, command) -> Decision.allow(),
                workDir.resolve("scratch"),
                SandboxPolicy.of(sandbox));
    }

    private static void writeKey(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, KEY + "\n");
    }

    private ChangeProposed proposal(String testCommand) {
        repo.write("hello.txt", "hello\nworld\n");
        String diff = repo.diffAndReset();
        LoopSpec spec = LoopSpec.builder(
                        "sandbox-loop",
                        LoopSpec.Kind.ASSISTED_FIX,
                        LoopSpec.Level.L2,
                        new LoopSpec.Target(repo.dir().toString(), "main"))
                .test(new LoopSpec.Test(testCommand, 20))
                .maker(new LoopSpec.Maker("mock", null, null, List.of(), null))
                .build();
        return new ChangeProposed(
                "main",
                repo.head(),
                diff,
                GitMirror.sha256Hex(diff),
                List.of("hello.txt"),
                "test change",
                new ChangeProposed.MakerInfo("mock", null),
                Usage.NONE,
                0,
                spec);
    }
}
