package dev.loopline.agent.service;

import dev.loopline.agent.client.LoopMemoryClient;
import dev.loopline.agent.config.AgentConfig;
import dev.loopline.agent.config.ClaudeCodeConfig;
import dev.loopline.agent.service.hook.HookEndpoint;
import dev.loopline.agent.service.hook.HookSession;
import dev.loopline.agent.service.hook.HookSessions;
import dev.loopline.core.guard.injection.UntrustedText;
import dev.loopline.core.io.Git;
import dev.loopline.core.io.GitException;
import dev.loopline.core.io.ShellCommand;
import dev.loopline.makers.llm.LoopNotebook;
import dev.loopline.makers.llm.Redactor;
import dev.loopline.schemas.events.Finding;
import dev.loopline.schemas.events.Usage;
import dev.loopline.schemas.spec.LoopSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Runs the real Claude Code CLI headless in the worktree ({@code claude -p … --output-format json}) with every
 * shell command, file write and web result guarded by Loopline's hooks ({@link ClaudeCodeSettings}, answered by
 * {@link HookSession} through {@code ToolHookRoute}; ADR 0014).
 *
 * <p>The CLI gets a private {@code HOME} and {@code TMPDIR}, the model API's URL and key, and switches that keep it
 * from calling home; nothing else of the agent's environment. It loads no settings but Loopline's
 * ({@code --setting-sources ""}): a repository's {@code .claude/settings.json} could otherwise switch the hooks off.
 * It runs in its own session and its whole process tree is killed at the timeout or when the tick is halted.
 *
 * <p>It gets the loop's notebook as the LLM makers do: the newest notes, each injection-scanned, follow the task in
 * the prompt, and the notes its final answer names ({@link ClaudeCodeNotes}) are appended when the run succeeds.
 */
@ApplicationScoped
public class ClaudeCodeMaker implements Maker {

    public static final String TYPE = "claude-code";

    /** The built-in tools the CLI offers: those Loopline's hooks know. No subagents, no scheduling, no worktrees. */
    static final String TOOLS = "Bash,Read,Glob,Grep,Edit,Write,NotebookEdit,WebFetch,WebSearch";

    static final String SYSTEM_NOTE = "You are a Loopline maker, running unattended in a throwaway git worktree (the"
            + " working directory). Make the change the task asks for by editing files there. Do not commit, push or"
            + " open pull requests: Loopline proposes your diff for review. Loopline's guard checks every shell command"
            + " and file write; a blocked call names the rule that blocked it, and working around a rule is not the"
            + " task. Files that decide whether the tests pass (test scripts, build and CI configuration, loop specs)"
            + " must stay as they are.";

    private static final Logger LOG = Logger.getLogger(ClaudeCodeMaker.class);
    private static final int TAIL_CHARS = 2000;
    private static final int SUMMARY_RESULT_CHARS = 600;

    @Inject
    ClaudeCodeConfig claude;

    @Inject
    AgentConfig config;

    @Inject
    HookSessions sessions;

    @Inject
    HookEndpoint endpoint;

    @Inject
    MeterRegistry registry;

    /** The loop's notebook in state-service. */
    @Inject
    LoopMemoryClient memory;

    /** Scans each note before Claude sees it. */
    @Inject
    UntrustedText untrusted;

    private final Git git = new Git();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String model(MakerRequest request) {
        return request.spec().maker().model();
    }

    /**
     * At start-up: the run limit must fit the budget hold, which lasts {@code shell-timeout} + {@code hold-margin}
     * (a run that outlived its hold would spend tokens no hold covers); session directories left by a run the agent
     * did not finish (it died) go.
     */
    void start(@Observes StartupEvent started) {
        if (claude.timeout().compareTo(config.shellTimeout()) > 0) {
            throw new IllegalStateException("loopline.agent.claude-code.timeout (" + claude.timeout()
                    + ") must not exceed loopline.agent.shell-timeout (" + config.shellTimeout()
                    + "): the budget hold of a run lasts shell-timeout + hold-margin");
        }
        deleteRecursively(sessionsRoot());
    }

    @Override
    public MakerResult make(MakerRequest request) {
        Path binary = ClaudeCodeBinary.locate(claude.binary())
                .orElseThrow(() -> new MakerException(ClaudeCodeBinary.NOT_INSTALLED));
        String apiKey = claude.apiKey()
                .filter(k -> !k.isBlank())
                .orElseThrow(() -> new MakerException(
                        "claude-code maker needs loopline.agent.claude-code.api-key (env ANTHROPIC_API_KEY)"));
        String baseSha;
        try {
            baseSha = git.revParse(request.worktree(), "HEAD");
        } catch (GitException e) {
            throw new MakerException("cannot read the worktree's base commit: " + e.getMessage());
        }
        HookSession session;
        try {
            session = sessions.open(request.spec(), request.worktree(), baseSha);
        } catch (IllegalArgumentException e) {
            throw new MakerException("the loop's guard rules are not acceptable: " + e.getMessage());
        }
        Path dir = null;
        try {
            // private: the settings and the hook hold the run's token
            dir = Files.createDirectory(
                    Files.createDirectories(sessionsRoot())
                            .resolve(request.tickId() + "-" + request.attempt() + "-" + UUID.randomUUID()),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.createDirectories(dir.resolve("home"));
            Files.createDirectories(dir.resolve("tmp"));
            Path settings = ClaudeCodeSettings.write(
                    dir, endpoint.forSession(session.token()), claude.hookTimeout(), claude.webFetchPreflight());
            return run(request, session, binary, apiKey, dir, settings, notebook(request));
        } catch (IOException e) {
            throw new MakerException("cannot prepare the claude-code run: " + e.getMessage(), e);
        } finally {
            session.close();
            if (dir != null) {
                deleteRecursively(dir);
            }
        }
    }

    /** The loop's notebook, read and scanned now; none when switched off. */
    private LoopNotebook notebook(MakerRequest request) {
        AgentConfig.Notebook notebook = config.notebook();
        if (!notebook.enabled() || memory == null) {
            return LoopNotebook.NONE;
        }
        return LoopNotebook.open(memory, untrusted, request.loopId(), notebook.notesShown(), notebook.maxChars());
    }

    private MakerResult run(
            MakerRequest request,
            HookSession session,
            Path binary,
            String apiKey,
            Path dir,
            Path settings,
            LoopNotebook notebook)
            throws IOException {
        Path stdout = dir.resolve("stdout.json");
        Path stderr = dir.resolve("stderr.log");
        List<String> program = new ArrayList<>();
        // stderr apart from stdout: the result is the JSON on stdout, and the CLI may warn on stderr
        program.addAll(List.of("bash", "-c", "exec 2>\"$0\"; exec \"$@\"", stderr.toString()));
        program.addAll(arguments(binary, request, settings, notebook));
        String runId = dir.getFileName().toString();
        Map<String, String> env = environment(apiKey, dir);
        env.put(RunProcesses.VARIABLE, runId);
        RunProcesses.mark(env, request.worker());
        ShellCommand.Result ran;
        try {
            ran = ShellCommand.run(program, request.worktree(), env, claude.timeout(), stdout, TAIL_CHARS);
        } finally {
            // what left the CLI's process tree (a detached or background command) goes with it
            int stray = RunProcesses.killAll(runId);
            if (stray > 0) {
                LOG.infof(
                        "tick %s attempt %d: killed %d process(es) left by claude-code",
                        request.tickId(), request.attempt(), stray);
            }
        }
        if (ran.timedOut()) {
            // spent but unknown: the run is charged what was held for it, never nothing
            Usage held = new Usage(heldTokens(request.spec()), 0);
            throw new MakerException(
                    (Thread.currentThread().isInterrupted()
                                    ? "claude-code was stopped"
                                    : "claude-code timed out after "
                                            + claude.timeout().toSeconds() + "s")
                            + blockedNote(session),
                    held);
        }
        String printed = Files.readString(stdout, StandardCharsets.UTF_8);
        Optional<ClaudeCodeOutput> parsed = ClaudeCodeOutput.parse(printed);
        if (parsed.isEmpty()) {
            throw new MakerException(
                    "claude-code ended without a result (exit " + ran.exitCode() + "): "
                            + oneLine(tail(printed) + " " + tail(stderr), 1000) + blockedNote(session),
                    new Usage(heldTokens(request.spec()), 0));
        }
        ClaudeCodeOutput output = parsed.get();
        List<Finding> findings = findings(session, output);
        findings.forEach(f -> registry.counter("loopline.agent.claude-code.findings", "rule", f.ruleId())
                .increment());
        LOG.infof(
                "tick %s attempt %d claude-code %s: %d turns, %d/%d tokens in/out, $%.4f, %d hook calls, %d findings%s",
                request.tickId(),
                request.attempt(),
                output.subtype(),
                output.turns(),
                output.usage().inputTokens(),
                output.usage().outputTokens(),
                output.costUsd(),
                session.calls(),
                findings.size(),
                session.taintedBy().map(t -> ", tainted by " + t).orElse(""));
        if (!session.started()) {
            // the CLI ignores a settings file it cannot validate: then no hook guarded anything it did
            throw new MakerException(
                    "claude-code did not run Loopline's hooks, so nothing it did was guarded; its"
                            + " changes are not proposed",
                    output.usage());
        }
        if (!output.succeeded()) {
            throw new MakerException(
                    "claude-code ended " + output.subtype() + ": " + oneLine(output.result(), 400)
                            + blockedNote(session),
                    output.usage());
        }
        keepNotes(request, notebook, output.result(), apiKey);
        return new MakerResult(summary(output, session), output.usage(), findings);
    }

    /** Appends the notes the final answer names, the API key masked; a note over a run's limits is logged. */
    private static void keepNotes(MakerRequest request, LoopNotebook notebook, String answer, String apiKey) {
        if (!notebook.keeps()) {
            return;
        }
        for (String refused : ClaudeCodeNotes.keep(notebook, answer)) {
            LOG.infof(
                    "tick %s attempt %d: a note of claude-code's answer was not kept: %s",
                    request.tickId(), request.attempt(), refused);
        }
        notebook.save(request.tickId(), request.attempt(), new Redactor(apiKey));
    }

    List<String> arguments(Path binary, MakerRequest request, Path settings, LoopNotebook notebook) {
        LoopSpec.Maker maker = request.spec().maker();
        List<String> args = new ArrayList<>(List.of(
                binary.toString(),
                "-p",
                prompt(request, notebook.promptSection()),
                "--output-format",
                "json",
                "--settings",
                settings.toString(),
                // no user, project or local settings: a repository's .claude/settings.json could disable the hooks
                "--setting-sources",
                "",
                "--strict-mcp-config",
                "--no-session-persistence",
                "--permission-mode",
                "acceptEdits",
                "--max-turns",
                Integer.toString(maker.maxTurns() != null ? maker.maxTurns() : claude.defaultMaxTurns()),
                "--tools",
                TOOLS,
                "--append-system-prompt",
                notebook.keeps() ? SYSTEM_NOTE + "\n\n" + ClaudeCodeNotes.HOW_TO_KEEP : SYSTEM_NOTE));
        if (maker.model() != null && !maker.model().isBlank()) {
            args.addAll(List.of("--model", maker.model()));
        }
        // variadic, so last
        args.add("--allowedTools");
        args.addAll(maker.allowedTools() != null ? maker.allowedTools() : claude.defaultAllowedTools());
        return args;
    }

    /**
     * The task, the loop's notes, then what went wrong before; it never starts with '-', which the CLI would read as
     * an option.
     */
    static String prompt(MakerRequest request, String notes) {
        String task = request.spec().task() == null || request.spec().task().isBlank()
                ? "(the loop gives no task)"
                : request.spec().task().strip();
        StringBuilder prompt = new StringBuilder("Task: ").append(task);
        if (!notes.isEmpty()) {
            prompt.append("\n\n").append(notes);
        }
        if (!request.reflections().isEmpty()) {
            prompt.append("\n\nEarlier attempts at this change were rejected. What went wrong, oldest first:\n\n")
                    .append(String.join("\n\n---\n\n", request.reflections()));
        }
        return prompt.toString();
    }

    private Map<String, String> environment(String apiKey, Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        env.put("HOME", dir.resolve("home").toString());
        env.put("TMPDIR", dir.resolve("tmp").toString());
        env.put("LANG", "C.UTF-8");
        env.put("ANTHROPIC_API_KEY", apiKey);
        claude.baseUrl().ifPresent(url -> env.put("ANTHROPIC_BASE_URL", url.toString()));
        claude.extraCaCerts()
                .ifPresent(pem ->
                        env.put("NODE_EXTRA_CA_CERTS", pem.toAbsolutePath().toString()));
        env.put("DISABLE_TELEMETRY", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        return env;
    }

    /** The guard's findings, then calls the CLI refused by itself (tools the loop did not pre-approve). */
    private static List<Finding> findings(HookSession session, ClaudeCodeOutput output) {
        List<Finding> findings = new ArrayList<>(session.findings());
        for (ClaudeCodeOutput.Denial denial : output.denials()) {
            if (!session.blocked(denial.toolUseId())) {
                findings.add(new Finding(
                        "tool-not-allowed",
                        Finding.Severity.LOW,
                        "claude-code did not run " + denial.tool() + ": not among the loop's allowed tools"
                                + " (maker.allowedTools)",
                        null,
                        null,
                        oneLine(denial.input(), 200)));
            }
        }
        return findings;
    }

    private static String summary(ClaudeCodeOutput output, HookSession session) {
        StringBuilder text = new StringBuilder("claude-code: ")
                .append(oneLine(ClaudeCodeNotes.without(output.result()), SUMMARY_RESULT_CHARS));
        text.append(String.format(
                Locale.ROOT,
                " (%d turns, $%.4f; tokens: %d in, of which %d cache read and %d cache write, %d out",
                output.turns(),
                output.costUsd(),
                output.usage().inputTokens(),
                output.cacheReadTokens(),
                output.cacheCreationTokens(),
                output.outputTokens()));
        int blocked = session.blocks();
        if (blocked > 0) {
            text.append("; ").append(blocked).append(blocked == 1 ? " tool call blocked" : " tool calls blocked");
        }
        session.taintedBy()
                .ifPresent(tool -> text.append("; untrusted content from ").append(tool));
        return text.append(')').toString();
    }

    private static String blockedNote(HookSession session) {
        int blocked = session.blocks();
        return blocked == 0 ? "" : " (" + blocked + (blocked == 1 ? " tool call" : " tool calls") + " blocked before)";
    }

    private long heldTokens(LoopSpec spec) {
        return spec.budget() != null && spec.budget().tokensPerRun() != null
                ? spec.budget().tokensPerRun()
                : config.budget().defaultTokensPerRun();
    }

    /** Absolute: the CLI runs in the worktree, where a relative work dir would point elsewhere. */
    private Path sessionsRoot() {
        return config.workDir().resolve("claude-code").toAbsolutePath();
    }

    private static String oneLine(String text, int max) {
        if (text == null) {
            return "";
        }
        String line = text.strip().replace('\n', ' ').replace('\r', ' ');
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }

    private static String tail(Path file) {
        try {
            return tail(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    private static String tail(String text) {
        String stripped = text.strip();
        return stripped.length() <= 500 ? stripped : stripped.substring(stripped.length() - 500);
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a leftover is swept at the next start-up
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // as above
        }
    }
}
