package dev.loopline.cli;

import dev.loopline.core.io.Git;
import dev.loopline.core.io.GitException;
import dev.loopline.core.io.GitMirror;
import dev.loopline.core.io.ProcessRunner;
import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.spec.LoopSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The gate's effect in {@code loopline run} without {@code --dry-run}, on a local repository only (never a remote):
 * the verified diff committed on its base in a throwaway checkout, then either a branch in the target (L2, and L3
 * outside the allowlist) or a fast-forward of the base ref (L3 inside it), only while the base has not moved.
 */
final class LocalTarget {

    /** The gate cannot carry the decision out; the change is escalated and nothing is written. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    record Done(String what, String branch, String commit) {}

    private static final Map<String, String> IDENTITY = Map.of(
            "GIT_AUTHOR_NAME", "Loopline",
            "GIT_AUTHOR_EMAIL", "loopline@localhost",
            "GIT_COMMITTER_NAME", "Loopline",
            "GIT_COMMITTER_EMAIL", "loopline@localhost");

    private final Git git;
    private final GitMirror mirrors;

    LocalTarget(Git git, GitMirror mirrors) {
        this.git = git;
        this.mirrors = mirrors;
    }

    Done apply(String loopId, String tickId, ChangeVerified verified, String branch, boolean merge) {
        LoopSpec spec = verified.spec();
        Path repo = localRepository(spec.target().repo());
        String baseRef = spec.target().baseRefOrDefault();
        Path mirror = mirrors.sync(spec.target().repo());
        Path checkout = mirrors.addWorktree(mirror, tickId + "-gate", verified.baseSha());
        String commit;
        try {
            ProcessRunner.Result applied = git.tryRun(
                    checkout, Map.of(), verified.diff(), GitMirror.with("apply", "--index", "--binary", "-"));
            if (!applied.ok()) {
                throw new Refused("the verified diff does not apply on " + verified.baseSha() + ": "
                        + applied.outputTail(500).strip());
            }
            git.run(
                    checkout,
                    IDENTITY,
                    null,
                    GitMirror.with("commit", "--quiet", "-m", "loopline(" + loopId + "): tick " + tickId));
            commit = git.revParse(checkout, "HEAD");
            git.run(repo, GitMirror.with("fetch", "--quiet", "--no-tags", checkout.toString(), "HEAD"));
        } catch (GitException e) {
            throw new Refused("cannot commit the change: " + e.getMessage());
        } finally {
            mirrors.removeWorktree(mirror, checkout);
        }
        if (!merge) {
            ProcessRunner.Result created =
                    git.tryRun(repo, Map.of(), null, GitMirror.with("branch", "--no-track", branch, commit));
            if (!created.ok()) {
                throw new Refused("cannot create branch " + branch + " in " + repo + ": "
                        + created.outputTail(300).strip());
            }
            return new Done("branch " + branch + " at " + commit.substring(0, 12) + " in " + repo, branch, commit);
        }
        String head = git.tryRun(repo, Map.of(), null, "rev-parse", "--verify", "-q", "refs/heads/" + baseRef)
                .output()
                .strip();
        if (!head.equals(verified.baseSha())) {
            throw new Refused("base moved: " + baseRef + " of " + repo + " is at " + (head.isEmpty() ? "nothing" : head)
                    + ", not the verified base " + verified.baseSha());
        }
        String current = git.tryRun(repo, Map.of(), null, "symbolic-ref", "-q", "HEAD")
                .output()
                .strip();
        ProcessRunner.Result moved = current.equals("refs/heads/" + baseRef) && !isBare(repo)
                ? git.tryRun(repo, Map.of(), null, GitMirror.with("merge", "--ff-only", "--quiet", commit))
                : git.tryRun(
                        repo,
                        Map.of(),
                        null,
                        GitMirror.with("update-ref", "refs/heads/" + baseRef, commit, verified.baseSha()));
        if (!moved.ok()) {
            throw new Refused("cannot fast-forward " + baseRef + " of " + repo + ": "
                    + moved.outputTail(300).strip());
        }
        return new Done("fast-forwarded " + baseRef + " of " + repo + " to " + commit.substring(0, 12), null, commit);
    }

    /** The target as a local repository, or refused: without --dry-run the CLI writes to nothing else. */
    private Path localRepository(String repo) {
        Path path = Path.of(repo);
        if (repo.contains("://") || repo.matches("^[^/]+@[^:]+:.*") || !Files.isDirectory(path)) {
            throw new Refused("loopline run writes only to a local repository, and " + repo + " is not one; use"
                    + " --dry-run, or let the deployment's gate-service push");
        }
        if (!git.tryRun(path, Map.of(), null, "rev-parse", "--git-dir").ok()) {
            throw new Refused(repo + " is not a git repository");
        }
        return path;
    }

    private boolean isBare(Path repo) {
        return "true"
                .equals(git.tryRun(repo, Map.of(), null, "rev-parse", "--is-bare-repository")
                        .output()
                        .strip());
    }
}
