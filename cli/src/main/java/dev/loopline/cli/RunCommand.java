package dev.loopline.cli;

import dev.loopline.core.check.SandboxPolicy;
import dev.loopline.core.control.Admission;
import dev.loopline.core.guard.injection.UntrustedText;
import dev.loopline.core.io.TestSandbox;
import dev.loopline.core.maker.MockEdits;
import dev.loopline.core.maker.ShellMaking;
import dev.loopline.core.spec.LoadedSpec;
import dev.loopline.makers.claude.ClaudeCodeBinary;
import dev.loopline.makers.claude.ClaudeCodeRun;
import dev.loopline.makers.llm.LlmProvider;
import dev.loopline.makers.llm.ModelMaking;
import dev.loopline.makers.llm.ModelSettings;
import dev.loopline.schemas.control.BudgetAlert;
import dev.loopline.schemas.control.ControlScope;
import dev.loopline.schemas.spec.LoopSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
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
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
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
            "Makers: mock; shell (the spec's maker.command, guarded, in the throwaway worktree, with a clean"
                    + " environment and --maker-timeout; LOOPLINE_REFLECTIONS holds the checker's findings on the"
                    + " earlier attempts); openai (any OpenAI-compatible endpoint) and anthropic, the same run as"
                    + " agent-service's, when their key is set: spec.maker.apiKeyEnv, else OPENAI_API_KEY or"
                    + " ANTHROPIC_API_KEY; the endpoint is spec.maker.baseUrl, else OPENAI_BASE_URL or"
                    + " ANTHROPIC_BASE_URL. Every model call is held against the loop's daily cap and its tokens"
                    + " counted in the state file; the loop's notebook is kept there too. claude-code: the real Claude"
                    + " Code CLI, as agent-service runs it, with every tool call guarded by Loopline's hooks (a hook"
                    + " server of this process answers them); it needs the CLI (./loopline up installs it into "
                    + ClaudeCodeBinary.PROJECT_DIR + ", or set " + RunCommand.CLAUDE_CODE_BINARY
                    + ", or put claude on the PATH)"
                    + " and ANTHROPIC_API_KEY (ANTHROPIC_BASE_URL for another endpoint); its reported tokens count"
                    + " against the daily cap. Without the key or the CLI, the mock stands in, and the header says"
                    + " so.",
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
            paramLabel = "mock|shell|openai|anthropic|claude-code",
            description = "The maker (default: the spec's own; the mock, announced, in place of an openai, anthropic"
                    + " or claude-code maker whose key or CLI is missing, and for a spec without a maker). mock: the"
                    + " spec's edits, or one note file when it has none. shell: the spec's maker.command. openai,"
                    + " anthropic, claude-code: the spec's maker of that type; its key (and for claude-code the"
                    + " Claude Code CLI) must be there.")
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

    /** Reads an environment variable (a model's key and endpoint); tests replace it. */
    UnaryOperator<String> environment = System::getenv;

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
                        ? " (in place of the spec's " + declaredType + " maker" + whyNot(declared) + ")"
                        : "")
                + (dryRun ? " (dry-run)" : "");
        out.println("Running " + ticks + " tick(s) of " + title + "; target "
                + spec.target().repo());
        LlmProvider provider = provider(makerType);
        ModelMaking model = provider == null
                ? null
                : new ModelMaking(
                        provider,
                        ModelSettings.DEFAULTS,
                        environment,
                        state.notebook(),
                        new UntrustedText(),
                        ModelMaking.httpClient(ModelSettings.DEFAULTS));
        ClaudeCodeRun.Options claudeCode =
                ClaudeCodeRun.TYPE.equals(makerType) ? claudeCodeOptions().orElseThrow() : null;
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
                        .withModel(model)
                        .withClaudeCode(claudeCode, state.notebook())
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

    /** The makers this command runs. */
    static final List<String> RUNNABLE = List.of(
            MockEdits.TYPE,
            ShellMaking.TYPE,
            LlmProvider.OPENAI.type(),
            LlmProvider.ANTHROPIC.type(),
            ClaudeCodeRun.TYPE);

    /** Where the Claude Code CLI is, when not in the project or on the PATH: agent-service's variable. */
    static final String CLAUDE_CODE_BINARY = "LOOPLINE_AGENT_CLAUDE_CODE_BINARY";

    /** The key and endpoint Claude Code reads, as agent-service hands them on. */
    static final String ANTHROPIC_KEY = "ANTHROPIC_API_KEY";

    static final String ANTHROPIC_URL = "ANTHROPIC_BASE_URL";

    private static String notRunnable(String what) {
        return what + " is not a maker loopline run runs: it runs the mock, shell, openai, anthropic and claude-code"
                + " makers";
    }

    private Optional<Path> claudeCodeBinary() {
        return claudeCodeBinary(environment, Path.of("").toAbsolutePath());
    }

    /**
     * The Claude Code CLI: the variable's path or name; else a project install where the user stands or above; else
     * the one in the Loopline checkout the launcher runs from ({@code LOOPLINE_HOME}: {@code ./loopline up} installed
     * it there, and {@code run} is mostly typed in another repository); else {@code claude} on the PATH.
     */
    static Optional<Path> claudeCodeBinary(UnaryOperator<String> environment, Path workingDir) {
        String configured = environment.apply(CLAUDE_CODE_BINARY);
        if (configured != null && !configured.isBlank()) {
            return ClaudeCodeBinary.locate(Optional.of(configured));
        }
        Optional<Path> local = ClaudeCodeBinary.projectLocal(workingDir);
        String home = environment.apply("LOOPLINE_HOME");
        if (local.isEmpty() && home != null && !home.isBlank()) {
            local = ClaudeCodeBinary.projectLocal(Path.of(home).toAbsolutePath());
        }
        return local.isPresent() ? local : ClaudeCodeBinary.locate(Optional.of("claude"));
    }

    /** Why claude-code cannot run here, or empty when it can: the CLI is found and the key is set. */
    private Optional<String> claudeCodeMissing() {
        if (claudeCodeBinary().isEmpty()) {
            String configured = environment.apply(CLAUDE_CODE_BINARY);
            return Optional.of(
                    configured == null || configured.isBlank()
                            ? "the Claude Code CLI " + ClaudeCodeBinary.VERSION
                                    + " is not installed: ./loopline up installs it"
                                    + " into " + ClaudeCodeBinary.PROJECT_DIR + " (npm), or set " + CLAUDE_CODE_BINARY
                                    + " to its path, or put claude on the PATH"
                            : CLAUDE_CODE_BINARY
                                    + " names no executable Claude Code CLI; ./loopline up installs it into "
                                    + ClaudeCodeBinary.PROJECT_DIR);
        }
        String key = environment.apply(ANTHROPIC_KEY);
        if (key == null || key.isBlank()) {
            return Optional.of(
                    "set " + ANTHROPIC_KEY + " to run it here (and " + ANTHROPIC_URL + " for another endpoint)");
        }
        return Optional.empty();
    }

    /** How this command runs claude-code: agent-service's defaults, --maker-timeout as the run's limit. */
    private Optional<ClaudeCodeRun.Options> claudeCodeOptions() {
        Optional<Path> binary = claudeCodeBinary();
        String key = environment.apply(ANTHROPIC_KEY);
        if (binary.isEmpty() || key == null || key.isBlank()) {
            return Optional.empty();
        }
        String url = environment.apply(ANTHROPIC_URL);
        String pem = environment.apply("NODE_EXTRA_CA_CERTS");
        return Optional.of(new ClaudeCodeRun.Options(
                binary.get(),
                key,
                url == null || url.isBlank() ? Optional.empty() : Optional.of(URI.create(url.strip())),
                pem == null || pem.isBlank() ? Optional.empty() : Optional.of(Path.of(pem)),
                Duration.ofSeconds(makerTimeoutSeconds),
                ClaudeCodeRun.DEFAULT_HOOK_TIMEOUT,
                true,
                ClaudeCodeRun.DEFAULT_MAX_TURNS,
                ClaudeCodeRun.DEFAULT_ALLOWED_TOOLS));
    }

    /** The provider of an openai or anthropic maker; null for the others. */
    private static LlmProvider provider(String type) {
        for (LlmProvider p : LlmProvider.values()) {
            if (p.type().equals(type)) {
                return p;
            }
        }
        return null;
    }

    /** Whether the key of the spec's openai or anthropic maker is set. */
    private boolean keySet(LlmProvider provider, LoopSpec.Maker maker) {
        String key = environment.apply(ModelMaking.keyVariable(provider, maker));
        return key != null && !key.isBlank();
    }

    /** Why the spec's own maker does not run here, for the header. */
    private String whyNot(LoopSpec spec) {
        LlmProvider provider = provider(spec.maker().type());
        if (provider != null && !keySet(provider, spec.maker())) {
            return ": set " + ModelMaking.keyVariable(provider, spec.maker()) + " to run it here";
        }
        if (ClaudeCodeRun.TYPE.equals(spec.maker().type())) {
            return claudeCodeMissing().map(why -> ": " + why).orElse("");
        }
        return RUNNABLE.contains(spec.maker().type()) ? "" : ", which runs on the stack only: ./loopline up";
    }

    /**
     * The maker this run uses: the one asked for, else the spec's when this command runs it (an openai or anthropic
     * maker when its key is set), else the mock (a spec without a maker, one whose key is not set, or claude-code,
     * which runs only in agent-service). The header names a stand-in and why, so it is never silent; a maker asked for
     * by name that cannot run is refused, saying what is missing.
     */
    private String makerFor(LoopSpec spec) {
        String declared = spec.maker() == null ? null : spec.maker().type();
        LlmProvider declaredProvider = provider(declared);
        String chosen = maker != null
                ? maker
                : declaredProvider != null
                        ? keySet(declaredProvider, spec.maker()) ? declared : MockEdits.TYPE
                        : ClaudeCodeRun.TYPE.equals(declared)
                                ? claudeCodeMissing().isEmpty() ? declared : MockEdits.TYPE
                                : declared != null && RUNNABLE.contains(declared) ? declared : MockEdits.TYPE;
        LlmProvider provider = provider(chosen);
        if (provider != null) {
            if (!chosen.equals(declared)) {
                throw new UsageException("--maker " + chosen + " runs the spec's " + chosen + " maker (its model,"
                        + " endpoint and key variable), and loop " + spec.id()
                        + (declared == null ? " has no maker" : "'s maker is " + declared)
                        + "; give it a maker of type " + chosen + " with a model, or use --maker mock");
            }
            if (!keySet(provider, spec.maker())) {
                String variable = ModelMaking.keyVariable(provider, spec.maker());
                throw new UsageException("--maker " + chosen + " needs " + provider.displayName() + "'s API key in"
                        + " the environment variable " + variable + ", which is not set. Set it (export " + variable
                        + "=...; spec.maker.apiKeyEnv may name another variable), or leave --maker out to try the"
                        + " loop with the mock maker in its place");
            }
        }
        if (ClaudeCodeRun.TYPE.equals(chosen)) {
            if (!chosen.equals(declared)) {
                throw new UsageException("--maker claude-code runs the spec's claude-code maker (its model, turns and"
                        + " allowed tools), and loop " + spec.id()
                        + (declared == null ? " has no maker" : "'s maker is " + declared)
                        + "; give it a maker of type claude-code, or use --maker mock");
            }
            Optional<String> missing = claudeCodeMissing();
            if (missing.isPresent()) {
                throw new UsageException("--maker claude-code runs the real Claude Code CLI, and " + missing.get()
                        + ". Or leave --maker out to try the loop with the mock maker in its place");
            }
        }
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
