package dev.loopline.cli;

import dev.loopline.core.verify.GitObjectLookup;
import dev.loopline.core.verify.GitUnavailableException;
import dev.loopline.core.verify.ObjectInfo;
import dev.loopline.core.verify.git.CliGitObjectLookup;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** The repository argument of the verify verbs. */
final class Repos {

    /** How the verify verbs reach git; tests swap in a lookup that produces verdicts real git cannot. */
    static final Function<Path, GitObjectLookup> GIT_CLI = CliGitObjectLookup::new;

    private Repos() {}

    /**
     * How the verify verbs reach the repository named {@code repo}. A path that is missing, not a directory or
     * not a repository makes every claim unverifiable (exit 4), as the earlier tool answered: no repository
     * means git cannot answer, which is not the same as a claim being fabricated, nor a usage error.
     */
    static GitObjectLookup lookup(String repo, Function<Path, GitObjectLookup> git) {
        Path path;
        try {
            path = Path.of(repo);
        } catch (InvalidPathException e) {
            return unavailable("'" + repo + "' is not a valid path");
        }
        if (!Files.isDirectory(path)) {
            return unavailable(repo + (Files.exists(path) ? " is not a directory" : " does not exist")
                    + "; pass the repository's working tree (or its .git directory) as the first argument");
        }
        return git.apply(path);
    }

    private static GitObjectLookup unavailable(String why) {
        return new GitObjectLookup() {
            @Override
            public List<ObjectInfo> lookup(List<String> names) throws GitUnavailableException {
                throw new GitUnavailableException(why);
            }

            @Override
            public Set<String> resolveCommits(List<String> names) throws GitUnavailableException {
                throw new GitUnavailableException(why);
            }

            @Override
            public void close() {}
        };
    }
}
