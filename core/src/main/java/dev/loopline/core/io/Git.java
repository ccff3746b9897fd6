package dev.loopline.core.io;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A thin wrapper over the git CLI with a fixed, locale-independent environment: no prompts, no user or
 * system configuration leaking in, C locale so behaviour never depends on the machine's language.
 */
public final class Git {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    private static final Map<String, String> ENV = Map.of(
            "LC_ALL", "C",
            "LANG", "C",
            "GIT_TERMINAL_PROMPT", "0",
            "GIT_CONFIG_NOSYSTEM", "1",
            "GIT_CONFIG_GLOBAL", "/dev/null",
            "GIT_AUTHOR_NAME", "Loopline",
            "GIT_AUTHOR_EMAIL", "loopline@localhost",
            "GIT_COMMITTER_NAME", "Loopline",
            "GIT_COMMITTER_EMAIL", "loopline@localhost");

    private final String executable;
    private final Duration timeout;

    public Git() {
        this("git", DEFAULT_TIMEOUT);
    }

    public Git(String executable, Duration timeout) {
        this.executable = executable;
        this.timeout = timeout;
    }

    /** Runs git in {@code dir}; returns stdout+stderr, trimmed, or throws {@link GitException}. */
    public String run(Path dir, String... args) {
        return run(dir, Map.of(), null, args);
    }

    public String run(Path dir, Map<String, String> extraEnv, String stdin, String... args) {
        ProcessRunner.Result result = tryRun(dir, extraEnv, stdin, args);
        if (!result.ok()) {
            throw new GitException("git " + String.join(" ", args) + " failed in " + dir + " ("
                    + (result.timedOut() ? "timed out" : "exit " + result.exitCode()) + "): "
                    + result.outputTail(2000).strip());
        }
        return result.output().strip();
    }

    /** Runs git and returns the raw result, whatever the exit code. */
    public ProcessRunner.Result tryRun(Path dir, Map<String, String> extraEnv, String stdin, String... args) {
        List<String> command = new ArrayList<>(args.length + 1);
        command.add(executable);
        command.addAll(List.of(args));
        Map<String, String> env = new java.util.HashMap<>(ENV);
        env.putAll(extraEnv);
        return ProcessRunner.run(command, dir, env, timeout, stdin);
    }

    /** The full object id a ref or revision resolves to in {@code repo}. */
    public String revParse(Path repo, String revision) {
        return run(repo, "rev-parse", "--verify", "--end-of-options", revision + "^{commit}");
    }
}
