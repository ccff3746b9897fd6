package dev.loopline.cli;

import dev.loopline.core.check.ChangeScanner;
import dev.loopline.core.check.InjectionChangeScanner;
import dev.loopline.core.check.IntegrityChangeScanner;
import dev.loopline.core.check.SandboxPolicy;
import dev.loopline.core.check.Verifier;
import dev.loopline.core.control.Admission;
import dev.loopline.core.gate.GateRules;
import dev.loopline.core.guard.command.SpecCommandGuard;
import dev.loopline.core.guard.injection.UntrustedText;
import dev.loopline.core.io.Git;
import dev.loopline.core.io.GitException;
import dev.loopline.core.io.GitMirror;
import dev.loopline.core.maker.MockEdits;
import dev.loopline.core.maker.ShellMaking;
import dev.loopline.core.maker.WorktreeChange;
import dev.loopline.core.retry.Reflections;
import dev.loopline.core.retry.RetryBreaker;
import dev.loopline.core.triage.TriageException;
import dev.loopline.core.triage.TriageStage;
import dev.loopline.core.triage.git.GitCommitLog;
import dev.loopline.core.verify.ShaVerifier;
import dev.loopline.core.verify.git.CliGitObjectLookup;
import dev.loopline.makers.claude.ClaudeCodeRun;
import dev.loopline.makers.claude.HookSessions;
import dev.loopline.makers.llm.BudgetStop;
import dev.loopline.makers.llm.CallHolds;
import dev.loopline.makers.llm.LoopNotebook;
import dev.loopline.makers.llm.ModelMaking;
import dev.loopline.makers.llm.ModelRunFailed;
import dev.loopline.makers.llm.ModelRunRequest;
import dev.loopline.makers.llm.ModelRunResult;
import dev.loopline.makers.llm.ModelSettings;
import dev.loopline.makers.llm.NotebookStore;
import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.EarlierAttempt;
import dev.loopline.schemas.events.Finding;
import dev.loopline.schemas.events.TriageReport;
import dev.loopline.schemas.events.Usage;
import dev.loopline.schemas.spec.LoopSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * One tick of a loop in this process, with no broker and no database: the same stages the services run, from core —
 * triage ({@link TriageStage}), a throwaway worktree ({@link GitMirror}), the maker ({@link MockEdits},
 * {@link ShellMaking}, or the openai/anthropic run of module makers, {@link ModelMaking}), the diff ({@link WorktreeChange}), the checker ({@link Verifier} with the guard's scanners, harness pin, command guard and
 * sandbox), reflexion retries of a rejected change ({@link Reflections}, {@link RetryBreaker}), and the gate's decision
 * ({@link GateRules}). Only the gate's effect is the CLI's own ({@link LocalTarget}):
 * none in a dry run, else a branch (L2) or a fast-forward (L3) of a local repository.
 */
final class LocalTick {

    /** The agent's defaults: commits a first triage reads, most commits per run, largest diff. */
    static final int FIRST_RUN_COMMITS = 20;

    static final int MAX_COMMITS = 200;
    static final int MAX_DIFF_BYTES = 262_144;

    /** The injection check on the task and the retries' feedback, as agent-service makes it. */
    private static final UntrustedText UNTRUSTED = new UntrustedText();

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
            int attempts,
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
    private final Duration makerTimeout;
    private final PrintStream out;
    private LongFunction<Admission> admission = tokens -> Admission.RUN;
    private ModelMaking model;
    private ClaudeCodeRun.Options claudeCode;
    private NotebookStore notebook;

    LocalTick(Path workDir, SandboxPolicy sandbox, boolean dryRun, Duration makerTimeout, PrintStream out) {
        this.mirrors = new GitMirror(git, workDir);
        this.scratch = workDir.resolve("scratch");
        this.sandbox = sandbox;
        this.dryRun = dryRun;
        this.makerTimeout = makerTimeout;
        this.out = out;
    }

    /** Runs the spec's openai or anthropic maker with {@code model} (the run's, shared with agent-service). */
    LocalTick withModel(ModelMaking model) {
        this.model = model;
        return this;
    }

    /**
     * Runs the spec's claude-code maker with the real Claude Code CLI ({@code options}, module makers' run shared
     * with agent-service), its hooks answered by a {@link LocalHookServer} for the attempt; the loop's notes are kept
     * in {@code notebook} (null for none).
     */
    LocalTick withClaudeCode(ClaudeCodeRun.Options options, NotebookStore notebook) {
        this.claudeCode = options;
        this.notebook = notebook;
        return this;
    }

    /**
     * @param admission the budget's say, given the tokens this tick has spent so far: asked before the tick, before
     *     each retry, and for the gate's decision
     */
    Result run(
            String loopId,
            String tickId,
            LoopSpec spec,
            Map<String, String> cursors,
            LongFunction<Admission> admission) {
        this.admission = admission;
        List<String> notes = new ArrayList<>();
        if (admission.apply(0) instanceof Admission.Halt halt) {
            stage("budget", halt.reason());
            return result("halted", null, "halted", halt.reason(), 0, 0, Map.of(), notes);
        }
        if (spec.level() == LoopSpec.Level.L0) {
            stage("plan", "L0 is plan-only: nothing runs");
            return result("no-op", null, null, "L0 is plan-only", 0, 0, Map.of(), notes);
        }
        Path mirror;
        try {
            mirror = mirrors.sync(spec.target().repo());
        } catch (GitException | UncheckedIOException e) {
            return error("cannot read target repository " + spec.target().repo() + ": " + e.getMessage(), 0, 0, notes);
        }
        Map<String, String> moved = Map.of();
        LoopSpec working = spec;
        if (spec.kind() == LoopSpec.Kind.REPORT || spec.kind() == LoopSpec.Kind.TRIAGE) {
            TriageReport report;
            try {
                report = new TriageStage(FIRST_RUN_COMMITS, MAX_COMMITS)
                        .triage(spec, cursors, new GitCommitLog(git, mirror));
            } catch (TriageException e) {
                return error("triage failed: " + e.getMessage(), 0, 0, notes);
            }
            TriageStage.Grounding grounding;
            try (CliGitObjectLookup lookup = new CliGitObjectLookup(mirror)) {
                grounding = TriageStage.ground(report, new ShaVerifier(lookup));
            }
            if (!grounding.accepted()) {
                return error(
                        "triage report refused: not every cited SHA is a commit: " + grounding.reason(), 0, 0, notes);
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
                return result(outcome, null, null, firstLine(summary), 0, 0, moved, notes);
            }
            working = TriageStage.withReport(spec, summary);
        }
        if (working.maker() == null) {
            return error("spec has no maker", 0, 0, notes);
        }
        String baseRef = working.target().baseRefOrDefault();
        String baseSha;
        try {
            baseSha = mirrors.resolveCommit(mirror, baseRef);
        } catch (GitException e) {
            return error(
                    "cannot resolve " + baseRef + " in " + working.target().repo() + ": " + e.getMessage(),
                    0,
                    0,
                    notes);
        }
        return attempts(loopId, tickId, working, mirror, baseRef, baseSha, moved, notes);
    }

    /**
     * The maker's attempts, as agent-service runs them: a change the checker rejects is made again with the checker's
     * findings fed back ({@link Reflections}), up to the spec's {@code budget.maxAttempts}; the breaker
     * ({@link RetryBreaker}) stops a tick whose attempts repeat themselves, and feedback that reads as a prompt
     * injection is never handed on.
     */
    private Result attempts(
            String loopId,
            String tickId,
            LoopSpec working,
            Path mirror,
            String baseRef,
            String baseSha,
            Map<String, String> moved,
            List<String> notes) {
        int maxAttempts = Math.max(1, working.maxAttempts());
        long tokens = 0;
        List<EarlierAttempt> history = new ArrayList<>();
        List<String> reflections = List.of();
        if (working.task() != null) {
            // the task reaches the maker as written: refused as agent-service refuses it
            Optional<String> refused = UNTRUSTED.refusal("the task", working.task());
            if (refused.isPresent()) {
                stage("maker", "not run: " + refused.get());
                notes.add("maker not run: " + refused.get());
                return result("escalated", null, "escalated", refused.get(), 0, 1, moved, notes);
            }
        }
        for (int attempt = 1; ; attempt++) {
            if (maxAttempts > 1) {
                stage(
                        "attempt",
                        attempt + " of " + maxAttempts
                                + (attempt == 1 ? "" : ", with the checker's findings on attempt " + (attempt - 1)));
            }
            Attempted made = attempt(loopId, tickId, working, mirror, baseSha, attempt, reflections, tokens);
            tokens += made.tokens();
            if (made.ended() != null) {
                return made.ended().apply(tokens, attempt, moved, notes);
            }
            WorktreeChange change = made.change();
            if (change.diff().isEmpty()) {
                return result("no-op", null, null, "maker made no change", tokens, attempt, moved, notes);
            }
            String diffSha256 = GitMirror.sha256Hex(change.diff());
            Optional<String> noProgress = RetryBreaker.noProgress(history, attempt, diffSha256);
            if (noProgress.isPresent()) {
                stage("breaker", noProgress.get());
                notes.add("breaker: " + noProgress.get());
                return result("escalated", null, "escalated", noProgress.get(), tokens, attempt, moved, notes);
            }
            notes.add((attempt > 1 ? "attempt " + attempt + ": " : "") + "proposed change touching "
                    + String.join(", ", change.files()));
            ChangeProposed proposal = new ChangeProposed(
                    baseRef,
                    baseSha,
                    change.diff(),
                    diffSha256,
                    change.files(),
                    made.summary(),
                    new ChangeProposed.MakerInfo(
                            working.maker().type(), working.maker().model()),
                    new Usage(0, made.tokens()),
                    tokens,
                    working,
                    List.of(),
                    List.copyOf(history));
            List<ChangeScanner> scanners = List.of(new IntegrityChangeScanner(), new InjectionChangeScanner());
            Verifier verifier =
                    new Verifier(mirrors, git, MAX_TEST_TIMEOUT, scanners, SpecCommandGuard::check, scratch, sandbox);
            ChangeVerified verified = verifier.verify(proposal, tickId + "-" + attempt + "-check");
            String verdict = verified.verdict().name().toLowerCase(Locale.ROOT);
            stage("checker", verdict + " — " + String.join("; ", verified.reasons()));
            for (Finding f : verified.findings()) {
                String where = f.file() == null ? "" : " (" + f.file() + (f.line() == null ? "" : ":" + f.line()) + ")";
                stage("finding", f.severity() + " " + f.ruleId() + ": " + f.message() + where);
            }
            notes.add((attempt > 1 ? "attempt " + attempt + ": " : "") + "verifier verdict: " + verdict
                    + (verified.findings().isEmpty()
                            ? ""
                            : ", " + verified.findings().size() + " finding(s)"));
            if (verified.verdict() != ChangeVerified.Verdict.REJECT || attempt >= maxAttempts) {
                String branch = GateRules.branchFor(loopId, tickId);
                GateRules.Route route = GateRules.route(verified, admission.apply(tokens), branch);
                return gate(loopId, tickId, working, verified, route, branch, tokens, attempt, moved, notes);
            }
            EarlierAttempt current = EarlierAttempt.of(attempt, verified.reasons(), diffSha256);
            Optional<String> repeated = RetryBreaker.repeatedFailure(history, attempt, current.reasons());
            if (repeated.isPresent()) {
                stage("breaker", repeated.get());
                notes.add("breaker: " + repeated.get());
                return result("escalated", verdict, "escalated", repeated.get(), tokens, attempt, moved, notes);
            }
            history.add(current);
            reflections = Reflections.of(history, verified);
            for (int i = 0; i < reflections.size(); i++) {
                // reasons and test output are written by the code under change: the next maker must not obey them
                Optional<String> refused = UNTRUSTED.refusal(
                        "the feedback of attempt " + history.get(i).attempt(), reflections.get(i));
                if (refused.isPresent()) {
                    stage("retry", "not retried: " + refused.get());
                    return result("escalated", verdict, "escalated", refused.get(), tokens, attempt, moved, notes);
                }
            }
            if (admission.apply(tokens) instanceof Admission.Halt halt) {
                stage("budget", halt.reason());
                return result("halted", verdict, "halted", halt.reason(), tokens, attempt, moved, notes);
            }
            stage("retry", "rejected; attempt " + (attempt + 1) + " gets the checker's findings");
        }
    }

    /** One attempt's maker run and its change; {@code ended} when the attempt ended the tick instead. */
    private record Attempted(String summary, long tokens, WorktreeChange change, Ending ended) {}

    /** How an attempt that ends the tick ends it, once the tick's tokens and attempts are known. */
    @FunctionalInterface
    private interface Ending {
        Result apply(long tokens, int attempts, Map<String, String> moved, List<String> notes);
    }

    private Attempted attempt(
            String loopId,
            String tickId,
            LoopSpec working,
            Path mirror,
            String baseSha,
            int attempt,
            List<String> reflections,
            long tickTokens) {
        Path worktree;
        try {
            worktree = mirrors.addWorktree(mirror, tickId + "-" + attempt, baseSha);
        } catch (GitException e) {
            String reason = "cannot check out " + baseSha + ": " + e.getMessage();
            return new Attempted(null, 0, null, (t, a, m, n) -> error(reason, t, a, n));
        }
        if (attempt == 1) {
            stage(
                    "worktree",
                    working.target().baseRefOrDefault() + " at " + baseSha.substring(0, 12)
                            + " (a throwaway checkout, not the target)");
        }
        try {
            String summary;
            long tokens;
            if (ShellMaking.TYPE.equals(working.maker().type())) {
                Path home = Files.createDirectories(scratch.resolve("home-" + attempt));
                Path output = Files.createTempFile(Files.createDirectories(scratch), "maker-", ".log");
                ShellMaking.Context context =
                        new ShellMaking.Context(loopId, tickId, attempt, working.task(), reflections);
                ShellMaking.Result ran = ShellMaking.run(
                        working, worktree, ShellMaking.environment(context, home), makerTimeout, output);
                summary = ran.summary();
                tokens = 0;
            } else if (claudeCode != null
                    && ClaudeCodeRun.TYPE.equals(working.maker().type())) {
                ClaudeCodeRun.Result made =
                        claudeCode(loopId, tickId, working, worktree, attempt, reflections, tickTokens);
                summary = made.summary();
                tokens = made.usage().total();
                made.findings().forEach(f -> stage("guard", f.ruleId() + ": " + f.message()));
            } else if (model != null) {
                ModelRunResult made =
                        model.make(modelRun(loopId, tickId, working, worktree, attempt, reflections, tickTokens));
                summary = made.summary();
                tokens = made.usage().total();
            } else {
                MockEdits.Result made = MockEdits.apply(worktree, working, loopId, tickId);
                summary = made.summary();
                tokens = made.tokens();
            }
            stage("maker", summary + " — " + tokens + " tokens");
            WorktreeChange change = WorktreeChange.of(git, worktree, baseSha, MAX_DIFF_BYTES);
            return new Attempted(summary, tokens, change, null);
        } catch (ShellMaking.Refused e) {
            String reason = e.getMessage();
            return new Attempted(null, 0, null, (t, a, m, n) -> {
                stage("maker", "refused: " + reason);
                n.add("maker refused: " + reason);
                return result("escalated", null, "escalated", reason, t, a, m, n);
            });
        } catch (BudgetStop e) {
            String reason = e.getMessage();
            return new Attempted(null, e.usage().total(), null, (t, a, m, n) -> {
                stage("budget", "maker stopped before a model call: " + reason);
                n.add("maker stopped: " + reason);
                return result("halted", null, "halted", reason, t, a, m, n);
            });
        } catch (ModelRunFailed e) {
            String reason = e.getMessage();
            return new Attempted(null, e.usage().total(), null, (t, a, m, n) -> {
                stage("maker", "failed after " + e.usage().total() + " tokens: " + reason);
                return error(reason, t, a, n);
            });
        } catch (ShellMaking.Failed | MockEdits.Failed | WorktreeChange.Failed e) {
            String reason = e.getMessage();
            return new Attempted(null, 0, null, (t, a, m, n) -> error(reason, t, a, n));
        } catch (IOException e) {
            String reason = "cannot prepare the maker's files: " + e.getMessage();
            return new Attempted(null, 0, null, (t, a, m, n) -> error(reason, t, a, n));
        } finally {
            mirrors.removeWorktree(mirror, worktree);
        }
    }

    /**
     * The claude-code run of one attempt. It is held first, as each model call of the openai and anthropic makers is:
     * refused ({@link BudgetStop}, the tick ends halted) once the loop has spent its daily cap, counting this tick's
     * tokens so far. Its hooks reach a hook server of this process that lives as long as the run; the CLI's reported
     * tokens count in the tick's.
     */
    private ClaudeCodeRun.Result claudeCode(
            String loopId,
            String tickId,
            LoopSpec working,
            Path worktree,
            int attempt,
            List<String> reflections,
            long tickTokens) {
        admitOrStop(tickTokens);
        LoopNotebook notes = notebook == null
                ? LoopNotebook.NONE
                : LoopNotebook.open(
                        notebook,
                        UNTRUSTED,
                        loopId,
                        ModelSettings.DEFAULTS.notesShown(),
                        ModelSettings.DEFAULTS.notebookMaxChars());
        long held = working.tokensPerRunOr(ModelSettings.DEFAULTS.defaultTokensPerRun());
        HookSessions sessions = new HookSessions();
        LocalHookServer started;
        try {
            started = LocalHookServer.start(sessions);
        } catch (UncheckedIOException e) {
            throw new ModelRunFailed(e.getMessage() + ": " + e.getCause().getMessage(), Usage.NONE);
        }
        try (LocalHookServer hooks = started) {
            return new ClaudeCodeRun(
                            sessions,
                            hooks::forSession,
                            scratch.resolve("claude-code"),
                            claudeCode,
                            new ClaudeCodeRun.Listener() {})
                    .run(new ClaudeCodeRun.Request(
                            worktree, working, tickId, attempt, reflections, notes, held, Map.of()));
        }
    }

    /**
     * The model run of one attempt. Every model call is held first: refused ({@link BudgetStop}, the tick ends
     * halted) once the loop has spent its daily cap, counting this tick's calls so far, as the control topic halts it;
     * each call's tokens count in the tick's. Commands the model runs get the shell maker's clean environment.
     */
    private ModelRunRequest modelRun(
            String loopId,
            String tickId,
            LoopSpec working,
            Path worktree,
            int attempt,
            List<String> reflections,
            long tickTokens)
            throws IOException {
        Path home = Files.createDirectories(scratch.resolve("home-" + attempt));
        long[] spent = {tickTokens};
        CallHolds holds = (call, max) -> {
            admitOrStop(spent[0]);
            return (used, input) -> spent[0] += used;
        };
        return new ModelRunRequest(
                worktree,
                working,
                loopId,
                tickId,
                attempt,
                reflections,
                null,
                holds,
                (prefix, suffix) -> Files.createTempFile(Files.createDirectories(scratch), prefix, suffix),
                ShellMaking.environment(
                        new ShellMaking.Context(loopId, tickId, attempt, working.task(), reflections), home));
    }

    /** Refuses the next model call or run ({@link BudgetStop}: the tick ends halted) once the loop is over its cap. */
    private void admitOrStop(long tickTokens) {
        if (admission.apply(tickTokens) instanceof Admission.Halt halt) {
            throw new BudgetStop(true, halt.reason(), null);
        }
    }

    private Result gate(
            String loopId,
            String tickId,
            LoopSpec spec,
            ChangeVerified verified,
            GateRules.Route route,
            String branch,
            long tokens,
            int attempts,
            Map<String, String> moved,
            List<String> notes) {
        String verdict = verified.verdict().name().toLowerCase(Locale.ROOT);
        if (route instanceof GateRules.Retry) {
            stage("gate", "nothing to decide: the change was rejected (" + route.reason() + ")");
            notes.add("gate: rejected, nothing pushed");
            return result("rejected", verdict, null, route.reason(), tokens, attempts, moved, notes);
        }
        String decision = decisionOf(route);
        if (route instanceof GateRules.Halt
                || route instanceof GateRules.Report
                || route instanceof GateRules.Escalate) {
            stage("gate", decision + ": " + route.reason());
            notes.add("gate: " + decision + " — " + route.reason());
            return result(decision, verdict, decision, route.reason(), tokens, attempts, moved, notes);
        }
        boolean merge = route instanceof GateRules.FastForward;
        String would = merge
                ? "fast-forward " + spec.target().baseRefOrDefault() + " of "
                        + spec.target().repo()
                : "push branch " + branch + " to " + spec.target().repo() + " and await approval";
        if (dryRun) {
            stage("gate", decision + " (dry run: would " + would + "): " + route.reason());
            notes.add("gate would " + would + " (dry run: nothing written)");
            return result(decision, verdict, decision, route.reason(), tokens, attempts, moved, notes);
        }
        LocalTarget target = new LocalTarget(git, mirrors);
        LocalTarget.Done done;
        try {
            done = target.apply(loopId, tickId, verified, branch, merge);
        } catch (LocalTarget.Refused e) {
            stage("gate", "escalated: " + e.getMessage());
            notes.add("gate: escalated — " + e.getMessage());
            return result("escalated", verdict, "escalated", e.getMessage(), tokens, attempts, moved, notes);
        }
        stage("gate", decision + ": " + done.what());
        notes.add("gate: " + done.what());
        return new Result(
                decision,
                verdict,
                decision,
                route.reason(),
                tokens,
                done.branch(),
                done.commit(),
                attempts,
                moved,
                notes);
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

    private Result error(String reason, long tokens, int attempts, List<String> notes) {
        stage("error", reason);
        return result("error", null, null, reason, tokens, attempts, Map.of(), notes);
    }

    /** A tick's end that wrote nothing to the target (no branch, no commit). */
    private static Result result(
            String outcome,
            String verdict,
            String decision,
            String reason,
            long tokens,
            int attempts,
            Map<String, String> moved,
            List<String> notes) {
        return new Result(outcome, verdict, decision, reason, tokens, null, null, attempts, moved, notes);
    }

    private void stage(String name, String what) {
        out.printf("  %-9s %s%n", name, what);
        out.flush();
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse(text);
    }
}
