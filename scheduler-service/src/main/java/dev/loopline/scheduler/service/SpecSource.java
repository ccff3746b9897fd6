package dev.loopline.scheduler.service;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the loop specs come from: a directory, or a directory inside a git checkout that is brought up to date
 * before every reload.
 */
public final class SpecSource {

    private final Path directory;
    private final GitSpecSource git;

    private SpecSource(Path directory, GitSpecSource git) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.git = git;
    }

    public static SpecSource directory(Path directory) {
        return new SpecSource(directory, null);
    }

    /**
     * @param path the specs' directory inside the repository ({@code .} for its root)
     * @throws IllegalArgumentException for a path that leaves the checkout
     */
    public static SpecSource git(GitSpecSource git, String path) {
        Path root = git.checkout().toAbsolutePath().normalize();
        Path dir = root.resolve(path).normalize();
        if (!dir.startsWith(root)) {
            throw new IllegalArgumentException(
                    "loopline.scheduler.spec-repo.path must stay inside the repository, got " + path);
        }
        return new SpecSource(dir, git);
    }

    /** The directory the specs are read from. */
    public Path directory() {
        return directory;
    }

    /** Updates a git checkout (nothing for a plain directory); never throws. */
    public void sync() {
        if (git != null) {
            git.sync();
        }
    }

    /** The commit the specs come from; empty for a plain directory or before the first successful sync. */
    public Optional<String> commit() {
        return git == null ? Optional.empty() : git.commit();
    }
}
