package dev.loopline.gate.repository;

import dev.loopline.core.io.Git;
import dev.loopline.core.io.GitException;
import dev.loopline.core.io.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gate's git access to target repositories (paths or URLs). Keeps one bare mirror per target under
 * the work dir; commits are built in the mirror from a throwaway index and pushed from it. Pushes never
 * force: a ref that moved is refused by git, never overwritten.
 */
public class TargetRepository {

    /** Author, committer and date of a gate commit; fixed inputs give the same commit id every time. */
    public record CommitIdentity(String name, String email, Instant time) {}

    public enum PushResult {
        /** The ref now points at the commit (created, fast-forwarded, or already there). */
        UPDATED,
        /** The remote refused the update because it is not a fast-forward (the ref moved). */
        REJECTED
    }

    private final Git git;
    private final Path workDir;
    private final Map<Path, Object> locks = new ConcurrentHashMap<>();

    public TargetRepository(Git git, Path workDir) {
        this.git = git;
        this.workDir = workDir.toAbsolutePath();
    }

    /**
     * Applies {@code diff} exactly (index and binary patches) to {@code baseSha}'s tree and commits it with a fixed
     * identity and date, so the same inputs always yield the same commit id. The commit is built with git's plumbing
     * in a throwaway index file of the mirror (read-tree, apply --cached, write-tree, commit-tree): no files are
     * checked out, so its cost does not grow with the size of the repository's tree.
     *
     * @param message one line (trailing white space is dropped, as {@code git commit} drops it)
     * @return the id of the new commit (not yet pushed anywhere)
     */
    public String commit(String repo, String baseSha, String diff, String message, CommitIdentity who) {
        Path mirror = mirror(repo);
        synchronized (lock(mirror)) {
            if (!hasCommit(mirror, baseSha)) {
                fetch(mirror, repo);
                if (!hasCommit(mirror, baseSha)) {
                    throw new UnmergeableChangeException("base commit " + baseSha + " is not in " + repo);
                }
            }
            Path index = newIndexFile();
            Map<String, String> inIndex = Map.of("GIT_INDEX_FILE", index.toString());
            try {
                git.run(mirror, inIndex, null, "read-tree", baseSha);
                ProcessRunner.Result applied =
                        git.tryRun(mirror, inIndex, diff, "apply", "--cached", "--binary", "--whitespace=nowarn", "-");
                if (!applied.ok()) {
                    throw new UnmergeableChangeException("the diff does not apply to " + baseSha + ": "
                            + applied.outputTail(500).strip());
                }
                String tree = git.run(mirror, inIndex, null, "write-tree").strip();
                if (tree.equals(
                        git.run(mirror, "rev-parse", baseSha + "^{tree}").strip())) {
                    throw new UnmergeableChangeException("the diff changes nothing");
                }
                String date = who.time().getEpochSecond() + " +0000";
                Map<String, String> env = Map.of(
                        "GIT_AUTHOR_NAME", who.name(),
                        "GIT_AUTHOR_EMAIL", who.email(),
                        "GIT_AUTHOR_DATE", date,
                        "GIT_COMMITTER_NAME", who.name(),
                        "GIT_COMMITTER_EMAIL", who.email(),
                        "GIT_COMMITTER_DATE", date);
                return git.run(
                                mirror,
                                env,
                                null,
                                "commit-tree",
                                "--no-gpg-sign",
                                tree,
                                "-p",
                                baseSha,
                                "-m",
                                message.stripTrailing())
                        .strip();
            } finally {
                deleteIndex(index);
            }
        }
    }

    /** Pushes {@code commit} to {@code refs/heads/<branch>} without force. */
    public PushResult push(String repo, String commit, String branch) {
        requireValidBranch(branch);
        Path mirror = mirror(repo);
        synchronized (lock(mirror)) {
            ProcessRunner.Result result = git.tryRun(
                    mirror, Map.of(), null, "push", "--porcelain", "--", repo, commit + ":refs/heads/" + branch);
            if (result.ok()) {
                return PushResult.UPDATED;
            }
            boolean refused = result.output()
                    .lines()
                    .anyMatch(l -> l.startsWith("!") && (l.contains("[rejected]") || l.contains("[remote rejected]")));
            if (refused && !result.timedOut()) {
                return PushResult.REJECTED;
            }
            throw new GitException("git push of " + branch + " to " + repo + " failed ("
                    + (result.timedOut() ? "timed out" : "exit " + result.exitCode()) + "): "
                    + result.outputTail(1000).strip());
        }
    }

    /** The commit {@code refs/heads/<branch>} points at on the remote, if the branch exists. */
    public Optional<String> remoteHead(String repo, String branch) {
        requireValidBranch(branch);
        String ref = "refs/heads/" + branch;
        String out = git.run(workDir(), "ls-remote", "--", repo, ref);
        return out.lines()
                .map(l -> l.split("\t", 2))
                .filter(parts -> parts.length == 2 && parts[1].equals(ref))
                .map(parts -> parts[0])
                .findFirst();
    }

    /**
     * Whether this replica's mirror holds {@code commit}, fetching the target once when it does not: a commit another
     * gate replica made (and pushed as a branch) must be fetched before this one can push it anywhere.
     */
    public boolean fetchIfMissing(String repo, String commit) {
        Path mirror = mirror(repo);
        synchronized (lock(mirror)) {
            if (!hasCommit(mirror, commit)) {
                fetch(mirror, repo);
            }
            return hasCommit(mirror, commit);
        }
    }

    /**
     * Whether {@code a} and {@code b} make the same change: the same parents and the same tree. Two handlings of one
     * tick's change build commits that differ only in their dates when they were handed different verdict events (a
     * guard restarted after publishing re-verifies the proposal and publishes again, with a new time).
     */
    public boolean sameChange(String repo, String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        if (!fetchIfMissing(repo, a) || !fetchIfMissing(repo, b)) {
            return false;
        }
        Path mirror = mirror(repo);
        synchronized (lock(mirror)) {
            return git.run(mirror, "rev-parse", a + "^{tree}", a + "^@")
                    .equals(git.run(mirror, "rev-parse", b + "^{tree}", b + "^@"));
        }
    }

    /**
     * The commit on {@code head}'s first-parent history that sits directly on {@code baseSha} and makes the same change
     * as {@code commit}, if there is one: the change was merged by an earlier handling of the same tick (built with
     * another date), and others may have built on it since.
     */
    public Optional<String> mergedEquivalent(String repo, String commit, String baseSha, String head) {
        if (!fetchIfMissing(repo, head) || !fetchIfMissing(repo, commit)) {
            return Optional.empty();
        }
        Path mirror = mirror(repo);
        synchronized (lock(mirror)) {
            ProcessRunner.Result path = git.tryRun(
                    mirror, Map.of(), null, "rev-list", "--first-parent", "--reverse", baseSha + ".." + head);
            if (!path.ok()) {
                return Optional.empty();
            }
            Optional<String> onBase = path.output().lines().findFirst().map(String::strip);
            return onBase.filter(candidate -> git.run(mirror, "rev-parse", candidate + "^@")
                            .strip()
                            .equals(baseSha))
                    .filter(candidate -> git.run(mirror, "rev-parse", candidate + "^{tree}")
                            .equals(git.run(mirror, "rev-parse", commit + "^{tree}")));
        }
    }

    /** Whether {@code commit} is already contained in {@code head} (fetching the target when needed). */
    public boolean isAncestor(String repo, String commit, String head) {
        Path mirror = mirror(repo);
        synchronized (lock(mirror)) {
            if (!hasCommit(mirror, head)) {
                fetch(mirror, repo);
            }
            if (!hasCommit(mirror, head) || !hasCommit(mirror, commit)) {
                return false;
            }
            return git.tryRun(mirror, Map.of(), null, "merge-base", "--is-ancestor", commit, head)
                    .ok();
        }
    }

    private void requireValidBranch(String branch) {
        if (!git.tryRun(workDir(), Map.of(), null, "check-ref-format", "refs/heads/" + branch)
                .ok()) {
            throw new UnmergeableChangeException("'" + branch + "' is not a valid branch name");
        }
    }

    private void fetch(Path mirror, String repo) {
        git.run(mirror, "fetch", "-q", "--no-tags", "--prune", "--", repo, "+refs/heads/*:refs/remotes/target/*");
    }

    private boolean hasCommit(Path mirror, String sha) {
        return git.tryRun(mirror, Map.of(), null, "cat-file", "-e", sha + "^{commit}")
                .ok();
    }

    private Path mirror(String repo) {
        Path mirror = workDir.resolve("mirrors").resolve(sha256(repo).substring(0, 24) + ".git");
        synchronized (lock(mirror)) {
            if (!Files.isDirectory(mirror)) {
                try {
                    Files.createDirectories(mirror.getParent());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                git.run(mirror.getParent(), "init", "-q", "--bare", mirror.toString());
            }
        }
        return mirror;
    }

    /** A path for a throwaway index file; git creates the file (an empty one would be refused as corrupt). */
    private Path newIndexFile() {
        try {
            Path parent = Files.createDirectories(workDir.resolve("indexes"));
            return parent.resolve("index-" + UUID.randomUUID());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteIndex(Path index) {
        try {
            Files.deleteIfExists(index);
            Files.deleteIfExists(index.resolveSibling(index.getFileName() + ".lock"));
        } catch (IOException ignored) {
            // a leftover index file is harmless: every commit uses a new name
        }
    }

    private Path workDir() {
        try {
            return Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Object lock(Path mirror) {
        return locks.computeIfAbsent(mirror, k -> new Object());
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
