package dev.loopline.cli;

import dev.loopline.core.check.SandboxPolicy;
import dev.loopline.core.control.Admission;
import dev.loopline.core.io.TestSandbox;
import dev.loopline.core.maker.MockEdits;
import dev.loopline.core.spec.LoadedSpec;
import dev.loopline.schemas.control.BudgetAlert;
import dev.loopline.schemas.control.ControlScope;
import dev.loopline.schemas.spec.LoopSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        description = "Run ticks of a loop in this process, with no broker and no database, through the stages the"
                + " services run: triage, worktree, maker, checker (scanners, harness pin, tests), gate decision."
                + " --dry-run writes nothing to the target; without it L2 leaves a branch and L3 fast-forwards a"
                + " local repository. State goes to a local file. Exit 1 if a tick ends in error.")
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

    @Option(names = "--dry-run", description = "Write nothing to the target repository; print what the gate would do.")
    boolean dryRun;

    @Option(
            names = "--ticks",
            defaultValue = "1",
            description = "How many ticks to run, one after another (default 1).")
    int ticks;

    @Option(
            names = "--maker",
            defaultValue = "mock",
            paramLabel = "<type>",
            description = "The maker: mock (default; the spec's edits, or one note file when it has none). Real makers"
                    + " run in agent-service.")
    String maker;

    @Option(
            names = "--state-file",
            paramLabel = "<file>",
            description = "Where the run's state is kept (default: .loopline/run-state.json here).")
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
        if (!MockEdits.TYPE.equals(maker)) {
            throw new UsageException("maker '" + maker + "' is not available in loopline run (only 'mock'); real"
                    + " makers run in agent-service: start the stack with ./loopline up");
        }
        LoadedSpec loaded = SpecOutput.loop(words, sources);
        LoopSpec spec = prepared(loaded.spec());
        String loopId = spec.id();
        LocalRunState state = LocalRunState.read(stateFile == null ? LocalRunState.DEFAULT_FILE : stateFile);
        SandboxPolicy sandbox = SandboxPolicy.of(noSandbox ? new TestSandbox.None() : TestSandbox.detect());
        PrintStream out = System.out;
        String title = (spec.name() == null ? loopId : spec.name()) + " [" + spec.level() + "] via " + maker + " maker"
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
                Admission admission = admission(spec, state.spentToday(loopId));
                LocalTick.Result result = new LocalTick(workDir, sandbox, dryRun, out)
                        .run(loopId, tickId, spec, state.loop(loopId).cursors(), admission);
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
                                maker,
                                dryRun,
                                result.outcome(),
                                result.verdict(),
                                result.decision(),
                                result.reason(),
                                result.tokens(),
                                result.branch(),
                                result.commit()));
                state.write();
                summary.append(String.format(
                        Locale.ROOT,
                        "  tick %d: %s%s — %,d tokens%n",
                        n,
                        result.outcome(),
                        result.verdict() == null ? "" : " (" + result.verdict() + ")",
                        result.tokens()));
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
        out.println("State: " + state.file());
        return failed ? ExitCodes.FAILURE : ExitCodes.OK;
    }

    /** The spec as run: the level asked for, and the maker chosen (the mock one note file when it has no edits). */
    private LoopSpec prepared(LoopSpec spec) {
        LoopSpec.Builder builder = spec.toBuilder();
        if (level != null) {
            builder.level(level);
        }
        if (spec.maker() != null) {
            LoopSpec.Maker declared = spec.maker();
            boolean hasEdits = MockEdits.TYPE.equals(declared.type())
                    && declared.edits() != null
                    && !declared.edits().isEmpty();
            List<LoopSpec.Edit> edits = hasEdits
                    ? declared.edits()
                    : List.of(new LoopSpec.Edit(
                            "loopline-run/{{loop}}.md".replace("{{loop}}", spec.id()),
                            null,
                            "- tick {{tick}} of loop {{loop}} (loopline run, mock maker)\n",
                            null));
            builder.maker(new LoopSpec.Maker(
                    MockEdits.TYPE,
                    null,
                    null,
                    edits,
                    MockEdits.TYPE.equals(declared.type()) ? declared.tokensPerRun() : null));
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

    private static String tickId(int n) {
        return "run-"
                + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
                        .withZone(ZoneOffset.UTC)
                        .format(Instant.now())
                + "-" + n;
    }

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
