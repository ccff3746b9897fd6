package dev.loopline.core.maker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Resolves a path a maker was given (by a spec, by a model) inside its worktree, or refuses it. The lexical checks
 * reject the obvious (empty, absolute, {@code ..}, {@code .git}); the canonical check (deepest existing ancestor,
 * symlinks resolved, compared component-wise) catches symlinks that lead out of the worktree or into {@code .git}.
 */
public final class WorktreePath {

    private WorktreePath() {}

    /**
     * @param root the worktree, already canonical ({@link Path#toRealPath})
     * @param relative the path as given, relative to the worktree
     * @return the normalised target inside {@code root}; it may not exist yet
     * @throws Refused when the path is not acceptable
     */
    public static Path confine(Path root, String relative) {
        if (relative == null || relative.isBlank()) {
            throw new Refused(relative, "empty path");
        }
        if (relative.startsWith("/") || relative.startsWith("\\") || relative.matches("^[A-Za-z]:.*")) {
            throw new Refused(relative, "absolute path");
        }
        Path path = Path.of(relative);
        if (path.isAbsolute()) {
            throw new Refused(relative, "absolute path");
        }
        for (Path part : path) {
            String name = part.toString();
            if (name.equals("..")) {
                throw new Refused(relative, "'..' is not allowed");
            }
            if (name.toLowerCase(Locale.ROOT).equals(".git")) {
                throw new Refused(relative, "git metadata is off limits");
            }
        }
        Path target = root.resolve(path).normalize();
        Path existing = target;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new Refused(relative, "outside the worktree");
        }
        if (Files.isSymbolicLink(existing) && !Files.exists(existing)) {
            // where a dangling link (or a chain of them) leads cannot be checked before writing through it
            throw new Refused(relative, "dangling symbolic link");
        }
        Path canonical;
        try {
            canonical = existing.toRealPath();
        } catch (IOException e) {
            throw new Refused(relative, "cannot resolve: " + e.getMessage());
        }
        if (!canonical.startsWith(root)) {
            throw new Refused(relative, "resolves outside the worktree");
        }
        Path inside = root.relativize(canonical);
        if (inside.getNameCount() > 0
                && inside.getName(0).toString().toLowerCase(Locale.ROOT).equals(".git")) {
            throw new Refused(relative, "resolves into git metadata");
        }
        return target;
    }

    /** A path that must not be touched; {@link #getMessage()} is the reason alone. */
    public static final class Refused extends RuntimeException {
        private final String path;

        Refused(String path, String reason) {
            super(reason);
            this.path = path;
        }

        /** The path as it was given. */
        public String path() {
            return path;
        }

        public String reason() {
            return getMessage();
        }
    }
}
