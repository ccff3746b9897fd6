package dev.loopline.agent.service;

import dev.loopline.agent.config.AgentConfig;
import dev.loopline.core.guard.command.Decision;
import dev.loopline.core.guard.command.SpecCommandGuard;
import dev.loopline.core.io.ShellCommand;
import dev.loopline.schemas.events.Usage;
import dev.loopline.schemas.spec.LoopSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs {@code spec.maker.command} with {@code bash -c} in the worktree, with a timeout and a clean
 * environment (the service's own environment, which may hold secrets, is not passed on). The command passes
 * core's {@link CommandGuard} first: a blocked command is never run and the tick escalates. Reports no token
 * usage.
 */
@ApplicationScoped
public class ShellMaker implements Maker {

    public static final String TYPE = "shell";
    private static final int TAIL_CHARS = 2000;

    @Inject
    AgentConfig config;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public MakerResult make(MakerRequest request) {
        String command = request.spec().maker().command();
        if (command == null || command.isBlank()) {
            throw new MakerException("shell maker needs spec.maker.command");
        }
        guard(request.spec(), command);
        Path output;
        try {
            output = request.worker().tempFile("loopline-shell-maker-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            ShellCommand.Result result = ShellCommand.run(
                    command, request.worktree(), environment(request), config.shellTimeout(), output, TAIL_CHARS);
            if (result.timedOut()) {
                throw new MakerException("shell maker timed out after "
                        + config.shellTimeout().toSeconds() + "s: " + result.outputTail());
            }
            if (result.exitCode() != 0) {
                throw new MakerException("shell maker failed (exit " + result.exitCode() + "): " + result.outputTail());
            }
            return new MakerResult("shell maker: " + command, Usage.NONE);
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }

    /** Fails closed: a guard that cannot decide escalates like a block. */
    static void guard(LoopSpec spec, String command) {
        Decision decision;
        try {
            decision = SpecCommandGuard.check(spec, command);
        } catch (RuntimeException e) {
            throw new EscalationException("maker command could not be checked by the command guard: " + e);
        }
        if (decision instanceof Decision.Block block) {
            throw new EscalationException("maker command blocked by rule " + block.ruleId() + ": " + block.reason()
                    + " (" + block.offendingCommand() + ")");
        }
    }

    /**
     * The whole environment of a command a maker runs: nothing of the agent's own (which holds credentials), only a
     * PATH, a throwaway HOME, the tick's coordinates and the worker's mark (a restarted worker kills what its predecessor
     * left running). The LLM makers' commands get the same.
     */
    public static Map<String, String> environment(MakerRequest request) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        env.put("HOME", System.getProperty("java.io.tmpdir"));
        env.put("LANG", "C.UTF-8");
        env.put("LOOPLINE_LOOP_ID", request.loopId());
        env.put("LOOPLINE_TICK_ID", request.tickId());
        env.put("LOOPLINE_ATTEMPT", Integer.toString(request.attempt()));
        env.put(
                "LOOPLINE_TASK",
                request.spec().task() == null ? "" : request.spec().task());
        env.put("LOOPLINE_REFLECTIONS", String.join("\n---\n", request.reflections()));
        RunProcesses.mark(env, request.worker());
        return env;
    }
}
