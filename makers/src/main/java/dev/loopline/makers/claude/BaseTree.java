package dev.loopline.makers.claude;

import dev.loopline.core.guard.harness.Tree;
import dev.loopline.core.io.Git;
import dev.loopline.core.io.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The worktree's files as its base commit has them, read from git (the maker may already have changed the files
 * on disk, and may even commit). A commit never changes, so each path is read once per session.
 */
final class BaseTree implements Tree {

    private final Git git;
    private final Path worktree;
    private final String baseSha;
    private final Map<String, Optional<String>> read = new ConcurrentHashMap<>();

    BaseTree(Git git, Path worktree, String baseSha) {
        this.git = git;
        this.worktree = worktree;
        this.baseSha = baseSha;
    }

    @Override
    public Optional<String> read(String path) {
        Optional<String> known = read.get(path);
        if (known != null) {
            return known;
        }
        Optional<String> text = load(path);
        read.put(path, text);
        return text;
    }

    /** A git failure is an error, never "no such file": the caller then blocks. */
    private Optional<String> load(String path) {
        if (path.indexOf('\n') >= 0 || path.indexOf('\r') >= 0) {
            throw new UncheckedIOException(new IOException("a path with a line break cannot be looked up: " + path));
        }
        ProcessRunner.Result result =
                git.tryRun(worktree, Map.of(), baseSha + ":" + path + "\n", "cat-file", "--batch");
        String out = result.output();
        int header = out.indexOf('\n');
        if (!result.ok() || header < 0) {
            throw new UncheckedIOException(new IOException("git cat-file failed for " + path + ": "
                    + result.outputTail(300).strip()));
        }
        String line = out.substring(0, header);
        if (line.equals(baseSha + ":" + path + " missing")) {
            return Optional.empty();
        }
        String[] fields = line.split(" ");
        if (fields.length != 3) {
            throw new UncheckedIOException(new IOException("git cat-file answered " + line + " for " + path));
        }
        if (!fields[1].equals("blob")) {
            return Optional.empty(); // a directory or a submodule is not a file
        }
        String body = out.substring(header + 1);
        // --batch ends each object with a newline of its own
        return Optional.of(body.endsWith("\n") ? body.substring(0, body.length() - 1) : body);
    }
}
