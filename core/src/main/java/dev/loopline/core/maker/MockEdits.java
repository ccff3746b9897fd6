package dev.loopline.core.maker;

import dev.loopline.schemas.spec.LoopSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The mock maker's work, shared by agent-service's {@code MockMaker} and the CLI's one-process run: applies
 * {@code spec.maker.edits} (write, append, delete) with {@code {{tick}}} and {@code {{loop}}} replaced. Writes are
 * confined to the worktree by {@link WorktreePath}, so {@code ..}, absolute paths, {@code .git} and symlinks pointing
 * outside are refused.
 */
public final class MockEdits {

    public static final String TYPE = "mock";

    private MockEdits() {}

    /** What the edits did, and the tokens the spec says a run of this mock costs. */
    public record Result(String summary, long tokens) {}

    /** An edit that could not be made; the message says which and why. */
    public static final class Failed extends RuntimeException {
        Failed(String message) {
            super(message);
        }

        Failed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** @throws Failed when an edit is refused or cannot be made */
    public static Result apply(Path worktree, LoopSpec spec, String loopId, String tickId) {
        LoopSpec.Maker maker = spec.maker();
        List<LoopSpec.Edit> edits = maker == null || maker.edits() == null ? List.of() : maker.edits();
        Path root = realRoot(worktree);
        List<String> done = new ArrayList<>();
        for (LoopSpec.Edit edit : edits) {
            Path target = confine(root, edit.path());
            try {
                done.add(apply(edit, target, loopId, tickId));
            } catch (IOException e) {
                throw new Failed("mock maker cannot edit " + edit.path() + ": " + e.getMessage(), e);
            }
        }
        long tokens = maker == null || maker.tokensPerRun() == null ? 0 : maker.tokensPerRun();
        String summary = done.isEmpty() ? "mock maker: no edits" : "mock maker: " + String.join(", ", done);
        return new Result(summary, tokens);
    }

    private static String apply(LoopSpec.Edit edit, Path target, String loopId, String tickId) throws IOException {
        if (Boolean.TRUE.equals(edit.delete())) {
            Files.deleteIfExists(target);
            return "deleted " + edit.path();
        }
        if (edit.write() == null && edit.append() == null) {
            throw new Failed("mock maker edit of " + edit.path() + " has no write, append or delete");
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new Failed("mock maker cannot write " + edit.path() + ": it is a directory");
        }
        Files.createDirectories(target.getParent());
        List<String> parts = new ArrayList<>();
        if (edit.write() != null) {
            Files.writeString(target, render(edit.write(), loopId, tickId), StandardCharsets.UTF_8);
            parts.add("wrote " + edit.path());
        }
        if (edit.append() != null) {
            Files.writeString(
                    target,
                    render(edit.append(), loopId, tickId),
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            parts.add("appended to " + edit.path());
        }
        return String.join(", ", parts);
    }

    public static String render(String content, String loopId, String tickId) {
        return content.replace("{{tick}}", tickId).replace("{{loop}}", loopId);
    }

    /** Resolves an edit path inside {@code root} ({@link WorktreePath#confine}) or throws. */
    static Path confine(Path root, String relative) {
        try {
            return WorktreePath.confine(root, relative);
        } catch (WorktreePath.Refused refused) {
            throw new Failed("mock maker refused path '" + relative + "': " + refused.reason());
        }
    }

    private static Path realRoot(Path worktree) {
        try {
            return worktree.toRealPath();
        } catch (IOException e) {
            throw new Failed("worktree " + worktree + " is missing", e);
        }
    }
}
