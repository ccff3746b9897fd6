package dev.loopline.core.maker;

import dev.loopline.core.guard.command.Decision;
import dev.loopline.core.guard.command.SpecCommandGuard;
import dev.loopline.core.io.ShellCommand;
import dev.loopline.schemas.spec.LoopSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shell maker's work, for any adapter that runs it (the CLI's one-process run; agent-service's {@code ShellMaker}
 * does the same): {@code spec.maker.command} passes the loop's command guard ({@link SpecCommandGuard}) first, then
 * runs with {@code bash -c} in the worktree ({@link ShellCommand}: its own session, a timeout) with an environment
 * that holds nothing of the caller's own ({@link #environment}). It reports no token usage.
 */
public final class ShellMaking {

    public static final String TYPE = "shell";

    /** Characters of the command's output kept for a failure's message. */
    public static final int TAIL_CHARS = 2000;

    /** Separates the reflections of several earlier attempts in {@code LOOPLINE_REFLECTIONS}. */
    public static final String REFLECTION_SEPARATOR = "\n---\n";

    private ShellMaking() {}

    /** The command was not run: the guard blocked it, or could not check it. The tick escalates. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    /** The command ran and failed (a non-zero exit) or ran out of time. */
    public static final class Failed extends RuntimeException {
        Failed(String message) {
            super(message);
        }
    }

    /** What the command did: its summary, and how long it took. */
    public record Result(String summary, Duration took) {}

    /** Who runs the command and what it is told: the tick's coordinates and the checker's feedback so far. */
    public record Context(String loopId, String tickId, int attempt, String task, List<String> reflections) {
        public Context {
            reflections = reflections == null ? List.of() : List.copyOf(reflections);
        }
    }

    /**
     * Checks {@code spec.maker.command} with the loop's command guard. Fails closed: a guard that cannot decide refuses
     * like a block.
     *
     * @return the command to run
     * @throws Refused when the spec has no command, or the guard blocks it or cannot check it
     */
    public static String guarded(LoopSpec spec) {
        String command = spec.maker() == null ? null : spec.maker().command();
        if (command == null || command.isBlank()) {
            throw new Refused("the shell maker needs spec.maker.command");
        }
        Decision decision;
        try {
            decision = SpecCommandGuard.check(spec, command);
        } catch (RuntimeException e) {
            throw new Refused("maker command could not be checked by the command guard: " + e);
        }
        if (decision instanceof Decision.Block block) {
            throw new Refused("maker command blocked by rule " + block.ruleId() + ": " + block.reason() + " ("
                    + block.offendingCommand() + ")");
        }
        return command;
    }

    /**
     * The whole environment of the command: nothing of the caller's own (which may hold credentials), only a PATH, a
     * throwaway HOME, a locale, the tick's coordinates, the task and the checker's feedback on earlier attempts
     * ({@code LOOPLINE_REFLECTIONS}, oldest first, separated by {@link #REFLECTION_SEPARATOR}; empty on a first
     * attempt).
     */
    public static Map<String, String> environment(Context context, Path home) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        env.put("HOME", home.toString());
        env.put("LANG", "C.UTF-8");
        env.put("LOOPLINE_LOOP_ID", context.loopId());
        env.put("LOOPLINE_TICK_ID", context.tickId());
        env.put("LOOPLINE_ATTEMPT", Integer.toString(context.attempt()));
        env.put("LOOPLINE_TASK", context.task() == null ? "" : context.task());
        env.put("LOOPLINE_REFLECTIONS", String.join(REFLECTION_SEPARATOR, context.reflections()));
        return env;
    }

    /**
     * Guards, then runs {@code spec.maker.command} in {@code worktree}.
     *
     * @param env the command's complete environment ({@link #environment})
     * @param output file receiving the command's output; must be outside the worktree
     * @throws Refused when the guard refuses the command (it is not run)
     * @throws Failed when it exits non-zero or times out
     */
    public static Result run(LoopSpec spec, Path worktree, Map<String, String> env, Duration timeout, Path output) {
        String command = guarded(spec);
        ShellCommand.Result result = ShellCommand.run(command, worktree, env, timeout, output, TAIL_CHARS);
        if (result.timedOut()) {
            throw new Failed("shell maker timed out after " + timeout.toSeconds() + "s: " + result.outputTail());
        }
        if (result.exitCode() != 0) {
            throw new Failed("shell maker failed (exit " + result.exitCode() + "): " + result.outputTail());
        }
        return new Result("shell maker: " + command, result.duration());
    }
}
