package dev.loopline.agent.service;

import dev.loopline.agent.config.AgentConfig;
import dev.loopline.core.maker.ShellMaking;
import dev.loopline.makers.claude.RunProcesses;
import dev.loopline.schemas.events.Usage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The shell maker on a worker: core's {@link ShellMaking} (the command guard first, then {@code bash -c} in the
 * worktree with a timeout and a clean environment) with the worker's scratch file for the output and its mark on the
 * environment. A command the guard refuses is never run and the tick escalates. Reports no token usage.
 */
@ApplicationScoped
public class ShellMaker implements Maker {

    public static final String TYPE = ShellMaking.TYPE;

    @Inject
    AgentConfig config;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public MakerResult make(MakerRequest request) {
        Path output;
        try {
            output = request.worker().tempFile("loopline-shell-maker-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            ShellMaking.Result result = ShellMaking.run(
                    request.spec(), request.worktree(), environment(request), config.shellTimeout(), output);
            return new MakerResult(result.summary(), Usage.NONE);
        } catch (ShellMaking.Refused e) {
            throw new EscalationException(e.getMessage());
        } catch (ShellMaking.Failed e) {
            throw new MakerException(e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }

    /**
     * The whole environment of a command a maker runs: core's {@link ShellMaking#environment} (nothing of the agent's
     * own, which holds credentials) plus the worker's mark (a restarted worker kills what its predecessor left
     * running). The LLM makers' commands get the same.
     */
    public static Map<String, String> environment(MakerRequest request) {
        Map<String, String> env = ShellMaking.environment(
                new ShellMaking.Context(
                        request.loopId(),
                        request.tickId(),
                        request.attempt(),
                        request.spec().task(),
                        request.reflections()),
                Path.of(System.getProperty("java.io.tmpdir")));
        RunProcesses.mark(env, request.worker().id());
        return env;
    }
}
