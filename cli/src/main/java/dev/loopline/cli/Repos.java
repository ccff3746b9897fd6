package dev.loopline.cli;

import dev.loopline.core.verify.GitObjectLookup;
import dev.loopline.core.verify.git.CliGitObjectLookup;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.function.Function;

/** The repository argument of the verify verbs. */
final class Repos {

    /** How the verify verbs reach git; tests swap in a lookup that produces verdicts real git cannot. */
    static final Function<Path, GitObjectLookup> GIT_CLI = CliGitObjectLookup::new;

    private Repos() {}

    /**
     * The repository directory. A path that is not a directory is a usage error; a directory git cannot read
     * as a repository makes every claim unverifiable instead (exit 4), as git decides that, not the CLI.
     */
    static Path directory(String repo) {
        Path path;
        try {
            path = Path.of(repo);
        } catch (InvalidPathException e) {
            throw new UsageException("'" + repo + "' is not a valid path; pass the repository directory");
        }
        if (!Files.isDirectory(path)) {
            throw new UsageException(repo + " is not a directory; pass the repository's working tree (or its"
                    + " .git directory) as the first argument, then the SHAs");
        }
        return path;
    }
}
