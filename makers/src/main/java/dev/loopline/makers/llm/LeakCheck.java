package dev.loopline.makers.llm;

import dev.loopline.core.io.Git;
import dev.loopline.core.io.GitException;
import dev.loopline.core.io.GitMirror;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the API key in the files a run changed, before the agent turns them into a diff that travels in events and
 * lands in the run log. A command cannot inherit the key, but it can read the agent's environment through {@code
 * /proc}; a key written into the worktree must not be proposed.
 */
final class LeakCheck {

    /** Larger files cannot be proposed anyway (the diff limit is far smaller). */
    static final long MAX_SCANNED_BYTES = 64L * 1024 * 1024;

    private static final Git GIT = new Git();

    private LeakCheck() {}

    /**
     * @return the first changed file that contains the key
     * @throws IllegalStateException when the changed files cannot be listed or read (the caller fails closed)
     */
    static Optional<String> fileWithSecret(Path worktree, Redactor redactor) {
        for (String name : changedFiles(worktree)) {
            Path file = worktree.resolve(name);
            try {
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > MAX_SCANNED_BYTES) {
                    continue;
                }
                if (redactor.containsSecret(Files.readAllBytes(file))) {
                    return Optional.of(name);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + name + ": " + e.getMessage(), e);
            }
        }
        return Optional.empty();
    }

    private static List<String> changedFiles(Path worktree) {
        String status;
        try {
            status = GIT.run(
                    worktree,
                    GitMirror.with("status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames"));
        } catch (GitException e) {
            throw new IllegalStateException("cannot list the changed files: " + e.getMessage(), e);
        }
        List<String> names = new ArrayList<>();
        for (String entry : status.split("\0")) {
            // "XY path"; a deleted file has nothing left to scan, and is skipped as not a regular file
            if (entry.length() > 3) {
                names.add(entry.substring(3));
            }
        }
        return names;
    }
}
