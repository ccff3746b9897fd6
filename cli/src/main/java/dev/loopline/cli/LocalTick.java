package dev.loopline.cli;

import dev.loopline.core.check.ChangeScanner;
import dev.loopline.core.check.InjectionChangeScanner;
import dev.loopline.core.check.IntegrityChangeScanner;
import dev.loopline.core.check.SandboxPolicy;
import dev.loopline.core.check.Verifier;
import dev.loopline.core.control.Admission;
import dev.loopline.core.gate.GateRules;
import dev.loopline.core.guard.command.SpecCommandGuard;
import dev.loopline.core.io.Git;
import dev.loopline.core.io.GitException;
import dev.loopline.core.io.GitMirror;
import dev.loopline.core.maker.MockEdits;
import dev.loopline.core.maker.WorktreeChange;
import dev.loopline.core.triage.TriageException;
import dev.loopline.core.triage.TriageStage;
import dev.loopline.core.triage.git.GitCommitLog;
import dev.loopline.core.verify.ShaVerifier;
import dev.loopline.core.verify.git.CliGitObjectLookup;
import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.Finding;
import dev.loopline.schemas.events.TriageReport;
import dev.loopline.schemas.events.Usage;
import dev.loopline.schemas.spec.LoopSpec;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One tick of a loop in this process, with no broker and no database: the same stages the services run, from core —
 * triage ({@link TriageStage}), a throwaway worktree ({@link GitMirror}), the maker ({@link MockEdits}), the diff
 * ({@link WorktreeChange}), the checker ({@link Verifier} with the guard's scanners, harness pin, command guard and
 * sandbox), and the gate's decision ({@link GateRules}). Only the gate's effect is the CLI's own ({@link LocalTarget}):
 * none in a dry run, else a branch (L2) or a fast-forward (L3) of a local repository.
 */
final class LocalTick {

    /** The agent's defaults: commits a first triage reads, most commits per run, largest diff. */
    static final int FIRST_RUN_COMMITS = 20;

    static final int MAX_COMMITS = 200;
    static final int MAX_DIFF_BYTES = 262_144;
    static final Duration MAX_TEST_TIMEOUT = Duration.ofMinutes(30);

    /** What a tick came to, for the summary and the state file. */
    record Result(
            String outcome,
            String verdict,
            String decision,
            String reason,
            long tokens,
            String branch,
            String commit,
            Map<String, String> cursors,
            List<String> notes) {

        boolean failed() {
            return "error".equals(outcome);
        }
    }

    private final Git git = new Git();
    private final GitMirror mirrors;
    private final Path scratch;
    private final SandboxPolicy sandbox;
    private final boolean dryRun;
    private final PrintStream out;

    LocalTick(Path workDir, SandboxPolicy sandbox, boolean dryRun, PrintStream out) {
        this.mirrors = new GitMirror(git, workDir);
        this.scratch = workDir.resolve("scratch");
        this.sandbox = sandbox;
        this.dryRun = dryRun;
        this.out = out;
    }

    Result run(String loopId, String tickId, LoopSpec spec, Map<String, String> cursors, Admission admission) {
        List<String> notes = new ArrayList<>();
        if (admission instanceof Admission.Halt halt) {
            stage("budget", halt.reason());
            return new Result("halted", null, "halted", halt.reason(), 0, null, null, Map.of(), notes);
        }
        if (spec.level() == LoopSpec.Level.L0) {
            stage("plan", "L0 is plan-only: nothing runs");
            return new Result("no-op", null, null, "L0 is plan-only", 0, null, null, Map.of(), notes);
        }
        Path mirror;
        try {
            mirror = mirrors.sync(spec.target().repo());
        } catch (GitException | UncheckedIOException e) {
            return error("cannot read target repository " + spec.target().repo() + ": " + e.getMessage(), 0, notes);
        }
        Map<String, String> moved = Map.of();
        LoopSpec working = spec;
        if (spec.kind() == LoopSpec.Kind.REPORT || spec.kind() == LoopSpec.Kind.TRIAGE) {
            TriageReport report;
            try {
                report = new TriageStage(FIRST_RUN_COMMITS, MAX_COMMITS)
                        .triage(spec, cursors, new GitCommitLog(git, mirror));
            } catch (TriageException e) {
                return error("triage failed: " + e.getMessage(), 0, notes);
            }
            TriageStage.Grounding grounding;
            try (CliGitObjectLookup lookup = new CliGitObjectLookup(mirror)) {
                grounding = TriageStage.ground(report, new ShaVerifier(lookup));
            }
            if (!grounding.accepted()) {
                return error("triage report refused: not every cited SHA is a commit: " + grounding.reason(), 0, notes);
            }
            String summary = TriageStage.summary(report);
            stage("triage", "decision " + report.decision().wireName() + " — " + firstLine(summary));
            notes.add("triage decision: " + report.decision().wireName());
            moved = new LinkedHashMap<>();
            for (TriageReport.Cursor c : report.cursors()) {
                moved.put(c.ref(), c.to());
            }
            if (report.decision() != TriageReport.Decision.ACT) {
                String outcome = report.decision() == TriageReport.Decision.NO_OP ? "no-op" : "reported";
                return new Result(outcome, null, null, firstLine(summary), 0, null, null, moved, notes);
            }
            working = TriageStage.withReport(spec, summary);
        }
        if (working.maker() == null) {
            return error("spec has no maker", 0, notes);
        }
        String baseRef = working.target().baseRefOrDefault();
        String baseSha;
        try {
            baseSha = mirrors.resolveCommit(mirror, baseRef);
        } catch (GitException e) {
            return error(
                    "cannot resolve " + baseRef + " in " + working.target().repo() + ": " + e.getMessage(), 0, notes);
        }
        Path worktree = mirrors.addWorktree(mirror, tickId + "-1", baseSha);
        stage("worktree", baseRef + " at " + baseSha.substring(0, 12) + " (a throwaway checkout, not the target)");
        MockEdits.Result made;
        WorktreeChange change;
        try {
            if (!MockEdits.TYPE.equals(working.maker().type())) {
                return error(
                        "maker " + working.maker().type() + " runs in agent-service; loopline run has the mock maker"
                                + " (--maker mock)",
                        0,
                        notes);
            }
            made = MockEdits.apply(worktree, working, loopId, tickId);
            stage("maker", made.summary() + " — " + made.tokens() + " tokens");
            change = WorktreeChange.of(git, worktree, baseSha, MAX_DIFF_BYTES);
        } catch (MockEdits.Failed | WorktreeChange.Failed e) {
            return error(e.getMessage(), 0, notes);
        } finally {
            mirrors.removeWorktree(mirror, worktree);
        }
        long tokens = made.tokens();
        if (change.diff().isEmpty()) {
            return new Result("no-op", null, null, "maker made no change", tokens, null, null, moved, notes);
        }
        notes.add("proposed change touching " + String.join(", ", change.files()));
        ChangeProposed proposal = new ChangeProposed(
                baseRef,
                baseSha,
                change.diff(),
                GitMirror.sha256Hex(change.diff()),
                change.files(),
                made.summary(),
                new ChangeProposed.MakerInfo(
                        working.maker().type(), working.maker().model()),
                new Usage(0, tokens),
                tokens,
                working,
                List.of());
        List<ChangeScanner> scanners = List.of(new IntegrityChangeScanner(), new InjectionChangeScanner());
        Verifier verifier =
                new Verifier(mirrors, git, MAX_TEST_TIMEOUT, scanners, SpecCommandGuard::check, scratch, sandbox);
        ChangeVerified verified = verifier.verify(proposal, tickId + "-1-check");
        String verdict = verified.verdict().name().toLowerCase(java.util.Locale.ROOT);
        stage("checker", verdict + " — " + String.join("; ", verified.reasons()));
        for (Finding f : verified.findings()) {
            String where = f.file() == null ? "" : " (" + f.file() + (f.line() == null ? "" : ":" + f.line()) + ")";
            stage("finding", f.severity() + " " + f.ruleId() + ": " + f.message() + where);
        }
        notes.add("verifier verdict: " + verdict
                + (verified.findings().isEmpty()
                        ? ""
                        : ", " + verified.findings().size() + " finding(s)"));
        String branch = GateRules.branchFor(loopId, tickId);
        GateRules.Route route = GateRules.route(verified, admission, branch);
        return gate(loopId, tickId, working, verified, route, branch, tokens, moved, notes);
    }

    private Result gate(
            String loopId,
            String tickId,
            LoopSpec spec,
            ChangeVerified verified,
            GateRules.Route route,
            String branch,
            long tokens,
            Map<String, String> moved,
            List<String> notes) {
        String verdict = verified.verdict().name().toLowerCase(java.util.Locale.ROOT);
        if (route instanceof GateRules.Retry) {
            stage("gate", "nothing to decide: the change was rejected (" + route.reason() + ")");
            notes.add("gate: rejected, nothing pushed");
            return new Result("rejected", verdict, null, route.reason(), tokens, null, null, moved, notes);
        }
        String decision = decisionOf(route);
        if (route instanceof GateRules.Halt
                || route instanceof GateRules.Report
                || route instanceof GateRules.Escalate) {
            stage("gate", decision + ": " + route.reason());
            notes.add("gate: " + decision + " — " + route.reason());
            return new Result(decision, verdict, decision, route.reason(), tokens, null, null, moved, notes);
        }
        boolean merge = route instanceof GateRules.FastForward;
        String would = merge
                ? "fast-forward " + spec.target().baseRefOrDefault() + " of "
                        + spec.target().repo()
                : "push branch " + branch + " to " + spec.target().repo() + " and await approval";
        if (dryRun) {
            stage("gate", decision + " (dry run: would " + would + "): " + route.reason());
            notes.add("gate would " + would + " (dry run: nothing written)");
            return new Result(decision, verdict, decision, route.reason(), tokens, null, null, moved, notes);
        }
        LocalTarget target = new LocalTarget(git, mirrors);
        LocalTarget.Done done;
        try {
            done = target.apply(loopId, tickId, verified, branch, merge);
        } catch (LocalTarget.Refused e) {
            stage("gate", "escalated: " + e.getMessage());
            notes.add("gate: escalated — " + e.getMessage());
            return new Result("escalated", verdict, "escalated", e.getMessage(), tokens, null, null, moved, notes);
        }
        stage("gate", decision + ": " + done.what());
        notes.add("gate: " + done.what());
        return new Result(
                decision, verdict, decision, route.reason(), tokens, done.branch(), done.commit(), moved, notes);
    }

    /** The decision's wire name, as gate-service publishes it. */
    static String decisionOf(GateRules.Route route) {
        if (route instanceof GateRules.Halt) {
            return "halted";
        }
        if (route instanceof GateRules.Report) {
            return "reported";
        }
        if (route instanceof GateRules.Escalate) {
            return "escalated";
        }
        if (route instanceof GateRules.FastForward) {
            return "merged";
        }
        return "awaiting-approval";
    }

    private Result error(String reason, long tokens, List<String> notes) {
        stage("error", reason);
        return new Result("error", null, null, reason, tokens, null, null, Map.of(), notes);
    }

    private void stage(String name, String what) {
        out.printf("  %-9s %s%n", name, what);
        out.flush();
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse(text);
    }
}
