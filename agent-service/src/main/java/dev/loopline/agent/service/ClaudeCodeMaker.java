package dev.loopline.agent.service;

import dev.loopline.agent.client.LoopMemoryClient;
import dev.loopline.agent.config.AgentConfig;
import dev.loopline.agent.config.ClaudeCodeConfig;
import dev.loopline.agent.service.hook.HookEndpoint;
import dev.loopline.core.guard.injection.UntrustedText;
import dev.loopline.makers.claude.ClaudeCodeBinary;
import dev.loopline.makers.claude.ClaudeCodeOutput;
import dev.loopline.makers.claude.ClaudeCodeRun;
import dev.loopline.makers.claude.HookSession;
import dev.loopline.makers.claude.HookSessions;
import dev.loopline.makers.claude.RunProcesses;
import dev.loopline.makers.llm.LoopNotebook;
import dev.loopline.makers.llm.ModelRunFailed;
import dev.loopline.schemas.events.Finding;
import dev.loopline.schemas.spec.LoopSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Runs the real Claude Code CLI headless in the worktree: module makers' {@link ClaudeCodeRun} (shared with
 * {@code loopline run}; ADR 0023), with every shell command, file write and web result guarded by Loopline's hooks,
 * answered by a {@link HookSession} through {@code ToolHookRoute} on this agent's own HTTP port (ADR 0014). This
 * class is the adapter: the agent's configuration, its notebook client, its worker's process mark, its log and
 * metrics.
 */
@ApplicationScoped
public class ClaudeCodeMaker implements Maker {

    public static final String TYPE = ClaudeCodeRun.TYPE;

    static final String SYSTEM_NOTE = ClaudeCodeRun.SYSTEM_NOTE;

    private static final Logger LOG = Logger.getLogger(ClaudeCodeMaker.class);

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
        ClaudeCodeRun.deleteRecursively(sessionsRoot());
    }

    @Override
    public MakerResult make(MakerRequest request) {
        Path binary = ClaudeCodeBinary.locate(claude.binary())
                .orElseThrow(() -> new MakerException(ClaudeCodeBinary.NOT_INSTALLED));
        String apiKey = claude.apiKey()
                .filter(k -> !k.isBlank())
                .orElseThrow(() -> new MakerException(
                        "claude-code maker needs loopline.agent.claude-code.api-key (env ANTHROPIC_API_KEY)"));
        ClaudeCodeRun.Result result;
        try {
            result = run(binary, apiKey).run(runRequest(request, notebook(request), heldTokens(request.spec())));
        } catch (ModelRunFailed e) {
            throw new MakerException(e.getMessage(), e.usage());
        }
        return new MakerResult(result.summary(), result.usage(), result.findings());
    }

    private ClaudeCodeRun run(Path binary, String apiKey) {
        return new ClaudeCodeRun(
                sessions, token -> endpoint.forSession(token), sessionsRoot(), options(binary, apiKey), new Log());
    }

    ClaudeCodeRun.Options options(Path binary, String apiKey) {
        return new ClaudeCodeRun.Options(
                binary,
                apiKey,
                claude.baseUrl(),
                claude.extraCaCerts(),
                claude.timeout(),
                claude.hookTimeout(),
                claude.webFetchPreflight(),
                claude.defaultMaxTurns(),
                claude.defaultAllowedTools());
    }

    private static ClaudeCodeRun.Request runRequest(MakerRequest request, LoopNotebook notebook, long heldTokens) {
        Map<String, String> marks = new HashMap<>();
        RunProcesses.mark(marks, request.worker().id());
        return new ClaudeCodeRun.Request(
                request.worktree(),
                request.spec(),
                request.tickId(),
                request.attempt(),
                request.reflections(),
                notebook,
                heldTokens,
                marks);
    }

    /** The loop's notebook, read and scanned now; none when switched off. */
    private LoopNotebook notebook(MakerRequest request) {
        AgentConfig.Notebook notebook = config.notebook();
        if (!notebook.enabled() || memory == null) {
            return LoopNotebook.NONE;
        }
        return LoopNotebook.open(memory, untrusted, request.loopId(), notebook.notesShown(), notebook.maxChars());
    }

    /** The CLI's command line for {@code request} (tests). */
    List<String> arguments(Path binary, MakerRequest request, Path settings, LoopNotebook notebook) {
        return run(binary, "unused").arguments(runRequest(request, notebook, 0), settings);
    }

    static String prompt(MakerRequest request, String notes) {
        return ClaudeCodeRun.prompt(request.spec(), notes, request.reflections());
    }

    private long heldTokens(LoopSpec spec) {
        return spec.tokensPerRunOr(config.budget().defaultTokensPerRun());
    }

    /** Absolute: the CLI runs in the worktree, where a relative work dir would point elsewhere. */
    private Path sessionsRoot() {
        return config.workDir().resolve("claude-code").toAbsolutePath();
    }

    /** The run's log lines, as the agent wrote them before the run moved to module makers. */
    private final class Log implements ClaudeCodeRun.Listener {
        @Override
        public void strays(ClaudeCodeRun.Request request, int killed) {
            LOG.infof(
                    "tick %s attempt %d: killed %d process(es) left by claude-code",
                    request.tickId(), request.attempt(), killed);
        }

        @Override
        public void ran(
                ClaudeCodeRun.Request request, ClaudeCodeOutput output, HookSession session, List<Finding> findings) {
            findings.forEach(f -> registry.counter("loopline.agent.claude-code.findings", "rule", f.ruleId())
                    .increment());
            LOG.infof(
                    "tick %s attempt %d claude-code %s: %d turns, %d/%d tokens in/out, $%.4f, %d hook calls, %d"
                            + " findings%s",
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
        }

        @Override
        public void noteRefused(ClaudeCodeRun.Request request, String why) {
            LOG.infof(
                    "tick %s attempt %d: a note of claude-code's answer was not kept: %s",
                    request.tickId(), request.attempt(), why);
        }
    }
}
