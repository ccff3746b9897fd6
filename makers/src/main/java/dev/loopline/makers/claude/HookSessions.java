package dev.loopline.makers.claude;

import dev.loopline.core.guard.command.SpecCommandGuard;
import dev.loopline.core.guard.harness.HarnessCheck;
import dev.loopline.core.io.Git;
import dev.loopline.schemas.spec.LoopSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The claude-code runs in progress on this agent, each under a random token its hook script sends with every call.
 * A token is valid only while its run lasts; an unknown one gets no answer but "not found", which the hook treats
 * as a block. One instance serves a process: agent-service's hook route and the CLI's local hook server.
 */
public class HookSessions {

    private static final int TOKEN_BYTES = 32;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, HookSession> live = new ConcurrentHashMap<>();
    private final Git git = new Git();

    /**
     * Opens the session of one run in {@code worktree}, whose base commit is {@code baseSha}.
     *
     * @throws IllegalArgumentException when the spec's command rules or protected globs are not acceptable
     * @throws UncheckedIOException when the worktree cannot be resolved
     */
    public HookSession open(LoopSpec spec, Path worktree, String baseSha) {
        Path real;
        try {
            real = worktree.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve the worktree " + worktree, e);
        }
        String testCommand = spec.test() == null ? null : spec.test().command();
        WorktreeWrites writes = new WorktreeWrites(
                real, new HarnessCheck(testCommand, spec.protectedOrEmpty()), new BaseTree(git, real, baseSha));
        String token = newToken();
        HookSession session = new HookSession(token, writes, SpecCommandGuard.of(spec), () -> live.remove(token));
        live.put(token, session);
        return session;
    }

    public Optional<HookSession> find(String token) {
        return token == null ? Optional.empty() : Optional.ofNullable(live.get(token));
    }

    /** Sessions open now (for tests and metrics). */
    public int liveCount() {
        return live.size();
    }

    private String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
