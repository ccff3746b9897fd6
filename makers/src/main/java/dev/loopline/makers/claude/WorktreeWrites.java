package dev.loopline.makers.claude;

import dev.loopline.core.diff.ChangeType;
import dev.loopline.core.diff.Diff;
import dev.loopline.core.diff.FileChange;
import dev.loopline.core.guard.harness.HarnessCheck;
import dev.loopline.core.guard.harness.HarnessFinding;
import dev.loopline.core.guard.harness.Tree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a maker may write: files inside its worktree, outside {@code .git}, that are not part of the pinned
 * harness or a loop spec (core's {@link HarnessCheck}, the checker's own rules, applied before the write instead of
 * after it). Symbolic links are followed as the write would follow them, so a link inside the worktree cannot carry
 * a write out of it.
 */
final class WorktreeWrites {

    static final String OUTSIDE = "write-outside-worktree";
    static final String GIT_METADATA = "write-git-metadata";
    static final String UNCHECKED = "write-unchecked";

    /** Why a write is refused. */
    record Refusal(String ruleId, String reason, String path) {}

    private final Path worktree;
    private final HarnessCheck harness;
    private final Tree base;

    /**
     * @param worktree the worktree's real path
     */
    WorktreeWrites(Path worktree, HarnessCheck harness, Tree base) {
        this.worktree = worktree;
        this.harness = harness;
        this.base = base;
    }

    Path worktree() {
        return worktree;
    }

    /** Whether {@code dir} (a call's working directory) lies inside the worktree. */
    boolean contains(String dir) {
        try {
            return !dir.isEmpty() && resolve(dir, worktree).startsWith(worktree);
        } catch (IOException | InvalidPathException e) {
            return false;
        }
    }

    /**
     * @param target the path as the call names it; relative to {@code cwd}
     * @param newContent the file's content after the write when known, else empty (then its current content counts)
     * @return why the write is refused, or empty when it may go ahead
     */
    Optional<Refusal> check(String target, Path cwd, Optional<String> newContent) {
        Path real;
        try {
            real = resolve(target, cwd);
        } catch (IOException | InvalidPathException e) {
            return Optional.of(new Refusal(OUTSIDE, "the path cannot be resolved: " + e.getMessage(), target));
        }
        if (!real.startsWith(worktree) || real.equals(worktree)) {
            return Optional.of(
                    new Refusal(OUTSIDE, "only files inside the worktree " + worktree + " may be written", target));
        }
        String relative = worktree.relativize(real).toString().replace('\\', '/');
        if (relative.equals(".git") || relative.startsWith(".git/")) {
            return Optional.of(new Refusal(GIT_METADATA, "git metadata is not part of the change", relative));
        }
        return harness(relative, real, newContent);
    }

    private Optional<Refusal> harness(String relative, Path file, Optional<String> newContent) {
        boolean exists = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
        FileChange change = exists
                ? new FileChange(relative, relative, ChangeType.MODIFIED, null, null, false, List.of())
                : new FileChange(null, relative, ChangeType.ADDED, null, null, false, List.of());
        Tree patched =
                path -> path.equals(relative) && newContent.isPresent() ? newContent : current(worktree.resolve(path));
        HarnessCheck.Result result;
        try {
            result = harness.check(new Diff(List.of(change)), base, patched);
        } catch (RuntimeException e) {
            // fail closed: a harness that cannot be read or a test command that cannot be parsed protects everything
            return Optional.of(new Refusal(UNCHECKED, "the harness check could not run: " + e.getMessage(), relative));
        }
        if (result.clean()) {
            return Optional.empty();
        }
        HarnessFinding finding = result.findings().get(0);
        return Optional.of(new Refusal(finding.ruleId(), finding.role(), relative));
    }

    private static Optional<String> current(Path file) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The real path a write to {@code target} would reach: the deepest part that exists with its links resolved,
     * then the rest. A link that leads nowhere is refused, since writing through it creates its target.
     */
    static Path resolve(String target, Path cwd) throws IOException {
        Path path = Path.of(target);
        Path absolute = (path.isAbsolute() ? path : cwd.resolve(path)).normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        if (Files.isSymbolicLink(existing) && !Files.exists(existing)) {
            throw new IOException("a symbolic link that leads nowhere: " + existing);
        }
        Path real = existing.toRealPath();
        return existing.equals(absolute)
                ? real
                : real.resolve(existing.relativize(absolute)).normalize();
    }
}
