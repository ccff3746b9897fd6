package dev.loopline.makers.claude;

import dev.loopline.core.io.Git;
import dev.loopline.core.io.GitException;
import dev.loopline.core.io.ShellCommand;
import dev.loopline.makers.llm.LoopNotebook;
import dev.loopline.makers.llm.ModelRunFailed;
import dev.loopline.makers.llm.Redactor;
import dev.loopline.schemas.events.Finding;
import dev.loopline.schemas.events.Usage;
import dev.loopline.schemas.spec.LoopSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One run of the real Claude Code CLI headless in a worktree ({@code claude -p … --output-format json}), every shell
 * command, file write and web result guarded by Loopline's hooks ({@link ClaudeCodeSettings}, answered by a
 * {@link HookSession} of {@link HookSessions}; ADR 0014, ADR 0023). Provider-neutral and framework-free: agent-service's
 * claude-code maker and {@code loopline run} both run it; each brings the server that answers the hook script
 * ({@link HookReply}) and the notebook.
 *
 * <p>The CLI gets a private {@code HOME} and {@code TMPDIR}, the model API's URL and key, and switches that keep it
 * from calling home; nothing else of the caller's environment. It loads no settings but Loopline's
 * ({@code --setting-sources ""}): a repository's {@code .claude/settings.json} could otherwise switch the hooks off.
 * It runs in its own session and its whole process tree is killed at the timeout or when the run is interrupted.
 *
 * <p>It gets the loop's notebook as the LLM makers do: the newest notes, each injection-scanned, follow the task in
 * the prompt, and the notes its final answer names ({@link ClaudeCodeNotes}) are appended when the run succeeds.
 */
public final class ClaudeCodeRun {

    public static final String TYPE = "claude-code";

    /** The built-in tools the CLI offers: those Loopline's hooks know. No subagents, no scheduling, no worktrees. */
    public static final String TOOLS = "Bash,Read,Glob,Grep,Edit,Write,NotebookEdit,WebFetch,WebSearch";

    public static final String SYSTEM_NOTE = "You are a Loopline maker, running unattended in a throwaway git worktree"
            + " (the working directory). Make the change the task asks for by editing files there. Do not commit, push"
            + " or open pull requests: Loopline proposes your diff for review. Loopline's guard checks every shell"
            + " command and file write; a blocked call names the rule that blocked it, and working around a rule is"
            + " not the task. Files that decide whether the tests pass (test scripts, build and CI configuration, loop"
            + " specs) must stay as they are.";

    /** The agent's defaults for a spec that names no turns or tools ({@code loopline.agent.claude-code.*}). */
    public static final int DEFAULT_MAX_TURNS = 30;

    public static final List<String> DEFAULT_ALLOWED_TOOLS =
            List.of("Read", "Glob", "Grep", "Edit", "Write", "NotebookEdit", "Bash");

    /** How long the hook script waits for its answer before it blocks the call. */
    public static final Duration DEFAULT_HOOK_TIMEOUT = Duration.ofSeconds(10);

    private static final int TAIL_CHARS = 2000;
    private static final int SUMMARY_RESULT_CHARS = 600;

    /**
     * How runs are made.
     *
     * @param apiKey the model API's key: handed to the CLI only, never printed
     * @param baseUrl the model API, when not Anthropic's own
     * @param extraCaCerts a PEM the CLI trusts besides the system's
     */
    public record Options(
            Path binary,
            String apiKey,
            Optional<URI> baseUrl,
            Optional<Path> extraCaCerts,
            Duration timeout,
            Duration hookTimeout,
            boolean webFetchPreflight,
            int defaultMaxTurns,
            List<String> defaultAllowedTools) {}

    /**
     * One attempt.
     *
     * @param heldTokens what a run whose spend is unknown (it timed out, or printed no result) is charged
     * @param marks variables that mark the CLI's processes besides the run's own (agent-service's worker id)
     */
    public record Request(
            Path worktree,
            LoopSpec spec,
            String tickId,
            int attempt,
            List<String> reflections,
            LoopNotebook notebook,
            long heldTokens,
            Map<String, String> marks) {

        public Request {
            reflections = List.copyOf(reflections);
            marks = Map.copyOf(marks);
        }
    }

    /** What a successful run reports: the summary, every token the CLI reported, and the guard's findings. */
    public record Result(String summary, Usage usage, List<Finding> findings) {}

    /** What the caller logs or counts; every method may be left out. */
    public interface Listener {
        /** Processes the run left behind (detached or background commands), killed with it. */
        default void strays(Request request, int killed) {}

        /** The CLI printed its result; the run may still fail (unguarded, or not a success). */
        default void ran(Request request, ClaudeCodeOutput output, HookSession session, List<Finding> findings) {}

        /** A note of the final answer that the notebook refused. */
        default void noteRefused(Request request, String why) {}
    }

    private final HookSessions sessions;
    private final Function<String, URI> endpoint;
    private final Path sessionsRoot;
    private final Options options;
    private final Listener listener;
    private final Git git = new Git();

    /**
     * @param endpoint the URL the hook script of the session with a token posts to
     * @param sessionsRoot where each run's private directory (settings, hook, HOME, TMPDIR) is made and removed
     */
    public ClaudeCodeRun(
            HookSessions sessions,
            Function<String, URI> endpoint,
            Path sessionsRoot,
            Options options,
            Listener listener) {
        this.sessions = sessions;
        this.endpoint = endpoint;
        this.sessionsRoot = sessionsRoot.toAbsolutePath();
        this.options = options;
        this.listener = listener;
    }

    /**
     * Runs the CLI once.
     *
     * @throws ModelRunFailed when it did not end in success, with what it spent
     */
    public Result run(Request request) {
        String baseSha;
        try {
            baseSha = git.revParse(request.worktree(), "HEAD");
        } catch (GitException e) {
            throw new ModelRunFailed("cannot read the worktree's base commit: " + e.getMessage(), Usage.NONE);
        }
        HookSession session;
        try {
            session = sessions.open(request.spec(), request.worktree(), baseSha);
        } catch (IllegalArgumentException e) {
            throw new ModelRunFailed("the loop's guard rules are not acceptable: " + e.getMessage(), Usage.NONE);
        }
        Path dir = null;
        try {
            // private: the settings and the hook hold the run's token
            dir = Files.createDirectory(
                    Files.createDirectories(sessionsRoot)
                            .resolve(request.tickId() + "-" + request.attempt() + "-" + UUID.randomUUID()),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.createDirectories(dir.resolve("home"));
            Files.createDirectories(dir.resolve("tmp"));
            Path settings = ClaudeCodeSettings.write(
                    dir, endpoint.apply(session.token()), options.hookTimeout(), options.webFetchPreflight());
            return run(request, session, dir, settings);
        } catch (IOException e) {
            throw new ModelRunFailed("cannot prepare the claude-code run: " + e.getMessage(), Usage.NONE);
        } finally {
            session.close();
            if (dir != null) {
                deleteRecursively(dir);
            }
        }
    }

    private Result run(Request request, HookSession session, Path dir, Path settings) throws IOException {
        Path stdout = dir.resolve("stdout.json");
        Path stderr = dir.resolve("stderr.log");
        List<String> program = new ArrayList<>();
        // stderr apart from stdout: the result is the JSON on stdout, and the CLI may warn on stderr
        program.addAll(List.of("bash", "-c", "exec 2>\"$0\"; exec \"$@\"", stderr.toString()));
        program.addAll(arguments(request, settings));
        String runId = dir.getFileName().toString();
        Map<String, String> env = environment(dir);
        env.putAll(request.marks());
        env.put(RunProcesses.VARIABLE, runId);
        ShellCommand.Result ran;
        try {
            ran = ShellCommand.run(program, request.worktree(), env, options.timeout(), stdout, TAIL_CHARS);
        } finally {
            // what left the CLI's process tree (a detached or background command) goes with it
            int stray = RunProcesses.killAll(runId);
            if (stray > 0) {
                listener.strays(request, stray);
            }
        }
        Usage held = new Usage(request.heldTokens(), 0);
        if (ran.timedOut()) {
            // spent but unknown: the run is charged what was held for it, never nothing
            throw new ModelRunFailed(
                    (Thread.currentThread().isInterrupted()
                                    ? "claude-code was stopped"
                                    : "claude-code timed out after "
                                            + options.timeout().toSeconds() + "s")
                            + blockedNote(session),
                    held);
        }
        String printed = Files.readString(stdout, StandardCharsets.UTF_8);
        Optional<ClaudeCodeOutput> parsed = ClaudeCodeOutput.parse(printed);
        if (parsed.isEmpty()) {
            throw new ModelRunFailed(
                    "claude-code ended without a result (exit " + ran.exitCode() + "): "
                            + oneLine(tail(printed) + " " + tail(stderr), 1000) + blockedNote(session),
                    held);
        }
        ClaudeCodeOutput output = parsed.get();
        List<Finding> findings = findings(session, output);
        listener.ran(request, output, session, findings);
        if (!session.started()) {
            // the CLI ignores a settings file it cannot validate: then no hook guarded anything it did
            throw new ModelRunFailed(
                    "claude-code did not run Loopline's hooks, so nothing it did was guarded; its"
                            + " changes are not proposed",
                    output.usage());
        }
        if (!output.succeeded()) {
            throw new ModelRunFailed(
                    "claude-code ended " + output.subtype() + ": " + oneLine(output.result(), 400)
                            + blockedNote(session),
                    output.usage());
        }
        keepNotes(request, output.result());
        return new Result(summary(output, session), output.usage(), findings);
    }

    /** Appends the notes the final answer names, the API key masked; a refused note goes to the listener. */
    private void keepNotes(Request request, String answer) {
        LoopNotebook notebook = request.notebook();
        if (!notebook.keeps()) {
            return;
        }
        for (String refused : ClaudeCodeNotes.keep(notebook, answer)) {
            listener.noteRefused(request, refused);
        }
        notebook.save(request.tickId(), request.attempt(), new Redactor(options.apiKey()));
    }

    /** The CLI's command line: the binary first, the loop's allowed tools last (the option is variadic). */
    public List<String> arguments(Request request, Path settings) {
        LoopSpec.Maker maker = request.spec().maker();
        LoopNotebook notebook = request.notebook();
        List<String> args = new ArrayList<>(List.of(
                options.binary().toString(),
                "-p",
                prompt(request.spec(), notebook.promptSection(), request.reflections()),
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
                Integer.toString(maker.maxTurns() != null ? maker.maxTurns() : options.defaultMaxTurns()),
                "--tools",
                TOOLS,
                "--append-system-prompt",
                notebook.keeps() ? SYSTEM_NOTE + "\n\n" + ClaudeCodeNotes.HOW_TO_KEEP : SYSTEM_NOTE));
        if (maker.model() != null && !maker.model().isBlank()) {
            args.addAll(List.of("--model", maker.model()));
        }
        // variadic, so last
        args.add("--allowedTools");
        args.addAll(maker.allowedTools() != null ? maker.allowedTools() : options.defaultAllowedTools());
        return args;
    }

    /**
     * The task, the loop's notes, then what went wrong before; it never starts with '-', which the CLI would read as
     * an option.
     */
    public static String prompt(LoopSpec spec, String notes, List<String> reflections) {
        String task = spec.task() == null || spec.task().isBlank()
                ? "(the loop gives no task)"
                : spec.task().strip();
        StringBuilder prompt = new StringBuilder("Task: ").append(task);
        if (!notes.isEmpty()) {
            prompt.append("\n\n").append(notes);
        }
        if (!reflections.isEmpty()) {
            prompt.append("\n\nEarlier attempts at this change were rejected. What went wrong, oldest first:\n\n")
                    .append(String.join("\n\n---\n\n", reflections));
        }
        return prompt.toString();
    }

    private Map<String, String> environment(Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        env.put("HOME", dir.resolve("home").toString());
        env.put("TMPDIR", dir.resolve("tmp").toString());
        env.put("LANG", "C.UTF-8");
        env.put("ANTHROPIC_API_KEY", options.apiKey());
        options.baseUrl().ifPresent(url -> env.put("ANTHROPIC_BASE_URL", url.toString()));
        options.extraCaCerts()
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

    /** Deletes {@code root} and all in it, as far as it can: a leftover is swept by the caller's next clean-up. */
    public static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a leftover is swept at the next clean-up
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // as above
        }
    }
}
