package dev.loopline.cli;

import dev.loopline.core.check.SandboxPolicy;
import dev.loopline.core.control.Admission;
import dev.loopline.core.io.TestSandbox;
import dev.loopline.core.maker.MockEdits;
import dev.loopline.core.maker.ShellMaking;
import dev.loopline.core.spec.LoadedSpec;
import dev.loopline.schemas.control.BudgetAlert;
import dev.loopline.schemas.control.ControlScope;
import dev.loopline.schemas.spec.LoopSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run ticks of a loop in this process, with no broker and no database, through the stages the services"
                    + " run: triage, worktree, maker, checker (scanners, harness pin, tests), reflexion retries of a"
                    + " rejected change (up to the spec's budget.maxAttempts), gate decision.",
            "--dry-run writes nothing: not to the target, not the state file. Without it L2 leaves a branch and L3"
                    + " fast-forwards a local repository, and the state goes to a local file.",
            "Makers: mock and shell (the spec's maker.command, guarded, in the throwaway worktree, with a clean"
                    + " environment and --maker-timeout; LOOPLINE_REFLECTIONS holds the checker's findings on the"
                    + " earlier attempts). claude-code, openai and anthropic makers run on the stack (./loopline up); here"
                    + " the mock stands in for them, and the header says so.",
            "Exit 1 if a tick ends in error, 64 for a usage error."
        })
class RunCommand implements Callable<Integer> {

    @Parameters(
            arity = "1..2",
            paramLabel = "[<spec|dir>] <loop>",
            description = "The loop id, read from --specs or the current directory; or a spec path and the loop id.")
    List<String> words;

    @Mixin
    SpecSources sources;

    @Option(names = "--level", paramLabel = "Lx", description = "Run at this level instead of the declared one.")
    LoopSpec.Level level;

    @Option(
            names = "--dry-run",
            description = "Write nothing (not to the target, not the state file); print what the gate would do.")
    boolean dryRun;

    @Option(
            names = "--ticks",
            defaultValue = "1",
            description = "How many ticks to run, one after another (default 1).")
    int ticks;

    @Option(
            names = "--maker",
            paramLabel = "mock|shell",
            description = "The maker (default: the spec's mock or shell maker; the mock, announced, in place of one"
                    + " that runs on the stack only, and for a spec without one). mock: the spec's edits, or one note"
                    + " file when it has none. shell: the spec's maker.command. claude-code, openai and anthropic run"
                    + " on the stack (./loopline up).")
    String maker;

    @Option(
            names = "--maker-timeout",
            defaultValue = "600",
            paramLabel = "<seconds>",
            description = "How long the shell maker's command may run (default 600, as agent-service's).")
    long makerTimeoutSeconds;

    @Option(
            names = "--state-file",
            paramLabel = "<file>",
            description = "Where the run's state is kept (default: .loopline/run-state.json here); read but never"
                    + " written by --dry-run.")
    Path stateFile;

    @Option(
            names = "--no-sandbox",
            description = "Run the test command without the bubblewrap sandbox (it then can reach the network and"
                    + " your files). Without it, tests do not run where no sandbox works, and the change escalates.")
    boolean noSandbox;

    @Override
    public Integer call() {
        if (ticks < 1) {
            throw new UsageException("--ticks must be at least 1, not " + ticks);
        }
        if (makerTimeoutSeconds < 1) {
            throw new UsageException("--maker-timeout must be at least 1 second, not " + makerTimeoutSeconds);
        }
        if (maker != null && !RUNNABLE.contains(maker)) {
            throw new UsageException(notRunnable("maker '" + maker + "'"));
        }
        LoadedSpec loaded = SpecOutput.loop(words, sources);
        LoopSpec declared = loaded.spec();
        String makerType = makerFor(declared);
        LoopSpec spec = prepared(declared, makerType);
        String loopId = spec.id();
        LocalRunState state = LocalRunState.read(stateFile == null ? LocalRunState.DEFAULT_FILE : stateFile);
        SandboxPolicy sandbox = SandboxPolicy.of(noSandbox ? new TestSandbox.None() : TestSandbox.detect());
        PrintStream out = System.out;
        String declaredType = declared.maker() == null ? null : declared.maker().type();
        String title = (spec.name() == null ? loopId : spec.name()) + " [" + spec.level() + "] via " + makerType
                + " maker"
                + (declaredType != null && !declaredType.equals(makerType)
                        ? " (in place of the spec's " + declaredType + " maker"
                                + (RUNNABLE.contains(declaredType)
                                        ? ""
                                        : ", which runs on the stack only: ./loopline up")
                                + ")"
                        : "")
                + (dryRun ? " (dry-run)" : "");
        out.println("Running " + ticks + " tick(s) of " + title + "; target "
                + spec.target().repo());
        Path workDir = workDir();
        boolean failed = false;
        StringBuilder summary = new StringBuilder();
        try {
            for (int n = 1; n <= ticks; n++) {
                String tickId = tickId(n);
                out.println("tick " + n + " (" + tickId + "):");
                out.flush();
                long spent = state.spentToday(loopId);
                LocalTick.Result result = new LocalTick(
                                workDir, sandbox, dryRun, Duration.ofSeconds(makerTimeoutSeconds), out)
                        .run(
                                loopId,
                                tickId,
                                spec,
                                state.loop(loopId).cursors(),
                                tickTokens -> admission(spec, spent + tickTokens));
                failed |= result.failed();
                if (!dryRun) {
                    state.moveCursors(loopId, result.cursors());
                }
                state.record(
                        loopId,
                        new LocalRunState.Tick(
                                tickId,
                                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                                spec.level().name(),
                                makerType,
                                dryRun,
                                result.outcome(),
                                result.verdict(),
                                result.decision(),
                                result.reason(),
                                result.tokens(),
                                result.branch(),
                                result.commit(),
                                result.attempts()));
                if (!dryRun) {
                    state.write();
                }
                summary.append(String.format(
                        Locale.ROOT,
                        "  tick %d: %s%s — %,d tokens%s%n",
                        n,
                        result.outcome(),
                        result.verdict() == null ? "" : " (" + result.verdict() + ")",
                        result.tokens(),
                        result.attempts() > 1 ? ", " + result.attempts() + " attempts" : ""));
                result.notes()
                        .forEach(note ->
                                summary.append("           · ").append(note).append('\n'));
            }
        } finally {
            deleteQuietly(workDir);
        }
        out.println();
        out.println("Ran " + ticks + " tick(s) of " + title + ":");
        out.println();
        out.print(summary);
        out.println();
        Long cap = spec.budget() == null ? null : spec.budget().dailyTokens();
        out.println(String.format(
                Locale.ROOT,
                "Budget: %,d / %s tokens spent today.",
                state.spentToday(loopId),
                cap == null ? "no cap of" : String.format(Locale.ROOT, "%,d", cap)));
        out.println(dryRun ? "State: not written (dry run)." : "State: " + state.file());
        return failed ? ExitCodes.FAILURE : ExitCodes.OK;
    }

    /** The makers this command runs; the others run in agent-service. */
    static final List<String> RUNNABLE = List.of(MockEdits.TYPE, ShellMaking.TYPE);

    private static String notRunnable(String what) {
        return what + " runs on the stack only: loopline run runs the mock and shell makers. Start the stack with"
                + " ./loopline up (its agent-service runs claude-code, openai and anthropic makers), or leave --maker"
                + " out to try the loop here with the mock maker in place of its own";
    }

    /**
     * The maker this run uses: the one asked for, else the spec's when this command runs it, else the mock (a spec
     * without a maker, or one whose maker runs only in agent-service). The header names a stand-in and why, so it is
     * never silent; a maker asked for by name that only agent-service runs is refused.
     */
    private String makerFor(LoopSpec spec) {
        String declared = spec.maker() == null ? null : spec.maker().type();
        String chosen =
                maker != null ? maker : declared != null && RUNNABLE.contains(declared) ? declared : MockEdits.TYPE;
        if (ShellMaking.TYPE.equals(chosen)) {
            if (!ShellMaking.TYPE.equals(declared)
                    || spec.maker().command() == null
                    || spec.maker().command().isBlank()) {
                throw new UsageException("--maker shell runs the spec's maker.command, and loop " + spec.id()
                        + (declared == null ? " has no maker" : "'s maker is " + declared + ", with no command")
                        + "; give it a maker of type shell with a command, or use --maker mock");
            }
        }
        return chosen;
    }

    /**
     * The spec as run: the level asked for, and the maker chosen — the spec's own shell maker, or the mock (one note
     * file when the spec declares no mock edits).
     */
    private LoopSpec prepared(LoopSpec spec, String makerType) {
        LoopSpec.Builder builder = spec.toBuilder();
        if (level != null) {
            builder.level(level);
        }
        if (MockEdits.TYPE.equals(makerType)) {
            LoopSpec.Maker declared = spec.maker();
            boolean mock = declared != null && MockEdits.TYPE.equals(declared.type());
            boolean hasEdits =
                    mock && declared.edits() != null && !declared.edits().isEmpty();
            List<LoopSpec.Edit> edits = hasEdits
                    ? declared.edits()
                    : List.of(new LoopSpec.Edit(
                            "loopline-run/{{loop}}.md".replace("{{loop}}", spec.id()),
                            null,
                            "- tick {{tick}} of loop {{loop}} (loopline run, mock maker)\n",
                            null));
            builder.maker(new LoopSpec.Maker(MockEdits.TYPE, null, null, edits, mock ? declared.tokensPerRun() : null));
        }
        return builder.build();
    }

    /** The budget's say, as the control topic would: halt at the daily cap, report-only from 80 % of it. */
    static Admission admission(LoopSpec spec, long spentToday) {
        Long cap = spec.budget() == null ? null : spec.budget().dailyTokens();
        if (cap == null || spentToday * 5 < cap * 4) {
            return Admission.RUN;
        }
        boolean halt = spentToday >= cap;
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        BudgetAlert alert = new BudgetAlert(
                "loop:" + spec.id(),
                ControlScope.LOOP,
                spec.id(),
                today,
                halt ? BudgetAlert.Action.HALT : BudgetAlert.Action.REPORT_ONLY,
                (int) Math.min(100, cap == 0 ? 100 : spentToday * 100 / cap),
                spentToday,
                cap,
                today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                Instant.now(),
                null);
        String reason = (halt ? "budget halt" : "budget report-only") + ": loop " + spec.id() + " spent " + spentToday
                + " of its " + cap + "-token daily cap today";
        return halt ? new Admission.Halt(reason, alert) : new Admission.ReportOnly(reason, alert);
    }

    /**
     * {@code run-<UTC second>-<n>-<4 random hex>}: two runs within one second (a script, a test) must not share tick
     * ids, which name the review branch and what the maker is told.
     */
    private static String tickId(int n) {
        return "run-"
                + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
                        .withZone(ZoneOffset.UTC)
                        .format(Instant.now())
                + "-" + n + "-" + String.format("%04x", TICK_SUFFIX.nextInt(0x10000));
    }

    private static final java.security.SecureRandom TICK_SUFFIX = new java.security.SecureRandom();

    private static Path workDir() {
        try {
            return Files.createTempDirectory("loopline-run-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work directory", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a leftover temp dir is harmless
        }
    }
}
