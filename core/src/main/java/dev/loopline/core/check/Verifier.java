package dev.loopline.core.check;

import dev.loopline.core.diff.DiffParseException;
import dev.loopline.core.guard.HumanApprovable;
import dev.loopline.core.guard.command.Decision;
import dev.loopline.core.guard.harness.HarnessCheck;
import dev.loopline.core.guard.harness.HarnessFinding;
import dev.loopline.core.io.Git;
import dev.loopline.core.io.GitException;
import dev.loopline.core.io.GitMirror;
import dev.loopline.core.io.ProcessRunner;
import dev.loopline.core.io.ShellCommand;
import dev.loopline.core.io.TestEnvironment;
import dev.loopline.core.io.TestSandbox;
import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.ChangeVerified.TestResult;
import dev.loopline.schemas.events.ChangeVerified.Verdict;
import dev.loopline.schemas.events.Finding;
import dev.loopline.schemas.spec.LoopSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * The checker the maker cannot game: it tests exactly the tree that would be committed — the proposed diff
 * applied to a clean checkout of the base commit taken from its own mirror — with the spec's test command,
 * time-limited. Plain Java so tests can drive it with real repositories and no application.
 */
public class Verifier {

    /** Characters of test output kept in the verdict. */
    public static final int OUTPUT_TAIL_CHARS = 4000;

    private final GitMirror mirrors;
    private final Git git;
    private final Duration maxTestTimeout;
    private final List<ChangeScanner> scanners;
    private final BiFunction<LoopSpec, String, Decision> commandGuard;
    private final Path scratch;
    private final HarnessPin harnessPin;
    private final SandboxPolicy sandbox;

    /** The sandbox this host offers ({@link SandboxPolicy#detected()}), default limits. */
    public Verifier(
            GitMirror mirrors,
            Git git,
            Duration maxTestTimeout,
            List<ChangeScanner> scanners,
            BiFunction<LoopSpec, String, Decision> commandGuard,
            Path scratch) {
        this(mirrors, git, maxTestTimeout, scanners, commandGuard, scratch, SandboxPolicy.detected());
    }

    /**
     * @param scanners run on every patched checkout; each decides which of its findings escalate
     * @param commandGuard decides whether a spec's test command may run ({@code SpecCommandGuard::check}: built-in rules plus the loop's own); a
     *     blocked command is never run, and the verdict is {@code escalate}
     * @param scratch test output and each run's private temp dir; its parent (the guard's work dir, with every
     *     mirror and checkout) and that one's parent are hidden from test runs
     * @param sandbox where test commands run; {@link TestSandbox.Unavailable} refuses to run them (escalate)
     */
    public Verifier(
            GitMirror mirrors,
            Git git,
            Duration maxTestTimeout,
            List<ChangeScanner> scanners,
            BiFunction<LoopSpec, String, Decision> commandGuard,
            Path scratch,
            SandboxPolicy sandbox) {
        this.mirrors = mirrors;
        this.git = git;
        this.maxTestTimeout = maxTestTimeout;
        this.scanners = List.copyOf(scanners);
        this.commandGuard = commandGuard;
        this.scratch = scratch;
        this.harnessPin = new HarnessPin(git);
        this.sandbox = sandbox;
        try {
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + scratch, e);
        }
    }

    /**
     * @param checkoutName unique per (tick, attempt): names the throwaway checkout
     */
    public ChangeVerified verify(ChangeProposed proposal, String checkoutName) {
        String diff = proposal.diff() == null ? "" : proposal.diff();
        if (!GitMirror.sha256Hex(diff).equals(proposal.diffSha256())) {
            return verdict(proposal, Verdict.ESCALATE, List.of("diff hash mismatch"), List.of(), null);
        }
        LoopSpec spec = proposal.spec();
        if (spec == null) {
            return verdict(proposal, Verdict.ESCALATE, List.of("proposal carries no spec"), List.of(), null);
        }
        Optional<Path> holding;
        try {
            holding = mirrors.holding(spec.target().repo(), proposal.baseSha());
        } catch (GitException | UncheckedIOException e) {
            return verdict(
                    proposal,
                    Verdict.ESCALATE,
                    List.of("cannot read target repository: " + e.getMessage()),
                    List.of(),
                    null);
        }
        if (holding.isEmpty()) {
            return verdict(
                    proposal,
                    Verdict.ESCALATE,
                    List.of("base commit " + proposal.baseSha() + " is not a commit of the target repository"),
                    List.of(),
                    null);
        }
        Path mirror = holding.get();
        Path checkout = mirrors.addWorktree(mirror, checkoutName, proposal.baseSha());
        try {
            return verifyIn(checkout, proposal, diff, spec);
        } finally {
            mirrors.removeWorktree(mirror, checkout);
        }
    }

    private ChangeVerified verifyIn(Path checkout, ChangeProposed proposal, String diff, LoopSpec spec) {
        ProcessRunner.Result applied =
                git.tryRun(checkout, Map.of(), diff, GitMirror.with("apply", "--index", "--binary", "-"));
        if (!applied.ok()) {
            String message =
                    applied.timedOut() ? "timed out" : applied.outputTail(2000).strip();
            return verdict(proposal, Verdict.REJECT, List.of("patch does not apply: " + message), List.of(), null);
        }
        List<Finding> findings = new ArrayList<>();
        // reasons to escalate whatever the tests say: findings at or above their scanner's threshold, and
        // every scanner or guard that could not run (fail closed)
        List<String> escalations = new ArrayList<>();
        HarnessCheck.Result harness = checkHarness(spec, diff, checkout, findings, escalations);
        // whether every escalation is one a human may approve at L2 (HumanApprovable): the harness, specs, tests
        boolean approvable = harness != null;
        for (ChangeScanner scanner : scanners) {
            try {
                for (Finding finding : scanner.scan(proposal, checkout)) {
                    findings.add(finding);
                    if (scanner.escalates(finding)) {
                        approvable &= HumanApprovable.rule(finding.ruleId());
                        escalations.add(finding.ruleId() + ": " + finding.message()
                                + (finding.file() == null ? "" : " (" + finding.file() + ")"));
                    }
                }
            } catch (RuntimeException e) {
                approvable = false;
                escalations.add("scanner " + scanner.name() + " failed: " + e.getMessage());
            }
        }
        Verdict verdict;
        List<String> reasons = new ArrayList<>();
        TestResult test = null;
        LoopSpec.Test testSpec = spec.test();
        if (testSpec == null || testSpec.command() == null || testSpec.command().isBlank()) {
            if (spec.level() == LoopSpec.Level.L2 || spec.level() == LoopSpec.Level.L3) {
                verdict = Verdict.ESCALATE;
                reasons.add("no test command; a human must verify " + spec.level() + " changes");
            } else {
                verdict = Verdict.ACCEPT;
                reasons.add("no test command; verified patch applies");
            }
        } else {
            String blocked = blockedTestCommand(proposal.spec(), testSpec.command());
            if (blocked != null) {
                // the command is never run: it is the maker's own checker no more than the diff is
                verdict = Verdict.ESCALATE;
                reasons.add(blocked);
            } else if (sandbox.sandbox() instanceof TestSandbox.Unavailable unavailable) {
                // fail closed: an uncontained test command could reach the network, credentials, other loops
                verdict = Verdict.ESCALATE;
                reasons.add(noSandbox(unavailable));
            } else {
                String unpinned = pinHarness(checkout, harness, reasons);
                if (unpinned != null) {
                    // tests run against a harness the change may have rewritten would prove nothing
                    verdict = Verdict.ESCALATE;
                    reasons.add(unpinned);
                } else {
                    Tested tested = test(checkout, testSpec, reasons);
                    verdict = tested.verdict();
                    test = tested.result();
                }
            }
        }
        // a verdict the checks themselves escalated (no test command, blocked or unsandboxed command, a harness that
        // could not be restored, a test run that could not finish) is never approvable
        approvable &= !escalations.isEmpty() && (verdict == Verdict.ACCEPT || verdict == Verdict.REJECT);
        if (!escalations.isEmpty()) {
            verdict = Verdict.ESCALATE;
            reasons.addAll(escalations);
        }
        ChangeVerified verified = verdict(proposal, verdict, reasons, findings, test);
        return approvable ? verified.asApprovable() : verified;
    }

    /**
     * Changes to the pinned harness and to loop specs are HIGH findings that escalate, whatever the level or
     * allowlist: the gate never merges them, and at L2 a human may still approve them. A check that cannot run
     * escalates too.
     *
     * @return the check's result, or null when it could not run
     */
    private HarnessCheck.Result checkHarness(
            LoopSpec spec, String diff, Path checkout, List<Finding> findings, List<String> escalations) {
        HarnessCheck.Result harness;
        try {
            harness = harnessPin.check(spec, diff, checkout);
        } catch (RuntimeException | DiffParseException e) {
            escalations.add("the harness check failed, so the tests cannot be trusted: " + e.getMessage());
            return null;
        }
        for (HarnessFinding finding : harness.findings()) {
            findings.add(HarnessPin.toFinding(finding));
            escalations.add(finding.ruleId() + ": " + finding.message()
                    + "; never merged unattended, whatever the level or allowlist (at L2 a human may approve it)");
        }
        return harness;
    }

    /**
     * Puts the harness files a change touched back as the base has them, so the tests that run are the base's,
     * and says so in {@code reasons}.
     *
     * @return why the tests must not run (the harness is unknown or could not be restored), or null
     */
    private String pinHarness(Path checkout, HarnessCheck.Result harness, List<String> reasons) {
        if (harness == null) {
            return "tests not run: the harness check failed";
        }
        if (harness.clean()) {
            return null;
        }
        try {
            harnessPin.restore(checkout, harness);
        } catch (RuntimeException e) {
            return "tests not run: cannot restore the base's harness: " + e.getMessage();
        }
        reasons.add("tests ran with the base's harness (" + String.join(", ", new TreeSet<>(harness.touchedPaths()))
                + " as the base has them)");
        return null;
    }

    /** A test run's verdict, and its result when the command ran. */
    private record Tested(Verdict verdict, TestResult result) {}

    /** Runs the test command in the sandbox and judges its result; the reason names the sandbox. */
    private Tested test(Path checkout, LoopSpec.Test testSpec, List<String> reasons) {
        String sandboxed = " (sandbox: " + sandbox.sandbox().name() + " — "
                + sandbox.sandbox().description() + ")";
        TestResult test;
        try {
            test = runTests(checkout, testSpec);
        } catch (RuntimeException e) {
            // the sandbox could not be set up for this run: nothing ran, and nothing runs uncontained
            reasons.add("tests not run: the " + sandbox.sandbox().name() + " sandbox failed: " + e.getMessage());
            return new Tested(Verdict.ESCALATE, null);
        }
        if (test.timedOut()) {
            reasons.add("tests timed out after " + effectiveTimeout(testSpec).toSeconds() + "s" + sandboxed);
            return new Tested(Verdict.REJECT, test);
        }
        if (test.exitCode() != 0) {
            reasons.add("tests failed (exit " + test.exitCode() + ")" + sandboxed
                    + SandboxHints.of(
                            sandbox.sandbox(),
                            sandbox.limits(effectiveTimeout(testSpec)),
                            test.exitCode(),
                            test.outputTail()));
            return new Tested(Verdict.REJECT, test);
        }
        reasons.add("tests passed" + sandboxed);
        return new Tested(Verdict.ACCEPT, test);
    }

    /** Why the command guard refuses the test command, or null when it may run; fails closed. */
    private String blockedTestCommand(LoopSpec spec, String command) {
        Decision decision;
        try {
            decision = commandGuard.apply(spec, command);
        } catch (RuntimeException e) {
            return "test command could not be checked by the command guard: " + e;
        }
        if (decision instanceof Decision.Block block) {
            return "test command blocked by rule " + block.ruleId() + ": " + block.reason() + " ("
                    + block.offendingCommand() + ")";
        }
        return decision != null && decision.allowed() ? null : "test command could not be checked by the command guard";
    }

    Duration effectiveTimeout(LoopSpec.Test testSpec) {
        Duration requested = Duration.ofSeconds(testSpec.timeoutSecondsOrDefault());
        return requested.compareTo(maxTestTimeout) <= 0 ? requested : maxTestTimeout;
    }

    static String noSandbox(TestSandbox.Unavailable unavailable) {
        return "tests not run: no test sandbox available (" + unavailable.reason() + "); install bubblewrap"
                + " (apt-get install bubblewrap) where user namespaces are allowed, or accept unsandboxed test"
                + " runs with loopline.guard.sandbox.mode=none (env LOOPLINE_GUARD_SANDBOX_MODE=none)";
    }

    /**
     * Runs the test command in the sandbox: its own private temp dir (also its empty home), the guard's work
     * dir hidden, a minimal environment, the policy's limits and the timeout.
     */
    private TestResult runTests(Path checkout, LoopSpec.Test testSpec) {
        Duration timeout = effectiveTimeout(testSpec);
        TestSandbox box = sandbox.sandbox();
        Path output = null;
        Path runDir = null;
        try {
            output = Files.createTempFile(scratch, "test-", ".log");
            runDir = Files.createTempDirectory(scratch, "run-");
            Path tmp = Files.createDirectories(runDir.resolve("tmp"));
            Path home = Files.createDirectories(tmp.resolve("home"));
            boolean contained = box instanceof TestSandbox.Bubblewrap;
            Map<String, String> env = TestEnvironment.minimal(
                    System.getenv(),
                    contained ? TestSandbox.SANDBOX_HOME : home.toString(),
                    contained ? TestSandbox.SANDBOX_TMP : tmp.toString());
            TestSandbox.Run run =
                    new TestSandbox.Run(checkout, tmp, hiddenFromTests(), toolchain(env), sandbox.limits(timeout));
            // a sandbox that runs the command as another user hands it the checkout and temp dir; if it cannot,
            // nothing runs (the caller escalates)
            box.prepare(run);
            ShellCommand.Result result = ShellCommand.run(
                    box.wrap(ShellCommand.argv(testSpec.command()), run),
                    checkout,
                    env,
                    timeout,
                    output,
                    OUTPUT_TAIL_CHARS);
            return new TestResult(
                    testSpec.command(),
                    result.exitCode(),
                    result.timedOut(),
                    result.duration().toMillis(),
                    result.outputTail(),
                    box.name());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the test's output file or temp dir", e);
        } finally {
            deleteQuietly(output);
            deleteQuietly(runDir);
        }
    }

    /** The guard's work dir (every mirror and checkout) and the directory holding it (other services' dirs). */
    private List<Path> hiddenFromTests() {
        List<Path> hidden = new ArrayList<>(sandbox.hidden());
        Path workDir = scratch.toAbsolutePath().normalize().getParent();
        if (workDir != null) {
            hidden.add(workDir);
            Path parent = workDir.getParent();
            // never a top-level directory such as /var or /opt: the toolchain may live there
            if (parent != null && parent.getNameCount() >= 2) {
                hidden.add(parent);
            }
        }
        return hidden;
    }

    /** PATH entries and JAVA_HOME: mounted back read-only should they lie in a hidden directory. */
    private static List<Path> toolchain(Map<String, String> env) {
        List<Path> paths = new ArrayList<>();
        for (String entry : env.getOrDefault("PATH", "").split(":")) {
            if (entry.startsWith("/")) {
                paths.add(Path.of(entry));
            }
        }
        String javaHome = env.get("JAVA_HOME");
        if (javaHome != null && javaHome.startsWith("/")) {
            paths.add(Path.of(javaHome));
        }
        return paths;
    }

    private static void deleteQuietly(Path path) {
        if (path == null) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException ignored) {
            // a leftover log file or temp dir is harmless; the work dir is swept at start-up
        }
    }

    /**
     * The verdict on {@code proposal}: its base, diff, tokens, spec and earlier attempts (which the agent's reflexion
     * reads) carried over.
     */
    public static ChangeVerified verdict(
            ChangeProposed proposal, Verdict verdict, List<String> reasons, List<Finding> findings, TestResult test) {
        return new ChangeVerified(
                verdict,
                List.copyOf(reasons),
                List.copyOf(findings),
                test,
                proposal.baseRef(),
                proposal.baseSha(),
                proposal.diff(),
                proposal.diffSha256(),
                proposal.tickTokens(),
                proposal.spec(),
                proposal.earlierAttempts());
    }
}
