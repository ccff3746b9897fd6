package dev.loopline.core.guard.harness;

import java.util.Optional;

/** Read access to one version of a repository's files, by repository-relative path. */
@FunctionalInterface
public interface Tree {

    /**
     * @return the file's text, or empty when no such file exists in this version
     * @throws java.io.UncheckedIOException when the file exists but cannot be read (the caller fails closed)
     */
    Optional<String> read(String path);

    /** A tree with no files. */
    static Tree empty() {
        return path -> Optional.empty();
    }
}
