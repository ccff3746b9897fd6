package dev.loopline.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Read-only bare mirrors of target repositories under a work directory, and throwaway detached worktrees
 * made from them. A worktree is checked out from the mirror's object database, so nothing untracked or
 * ignored in the source repository's working directory can reach it.
 *
 * <p>Layout: {@code <workDir>/mirrors/<sha256(repo)>.git} and {@code <workDir>/worktrees/<name>}.
 */
public final class GitMirror {

    private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    private static final Pattern UNSAFE_NAME_CHARS = Pattern.compile("[^A-Za-z0-9._-]");

    /** Transports a target repository may use; {@code ext::} and friends could run commands. */
    private static final Map<String, String> FETCH_ENV = Map.of("GIT_ALLOW_PROTOCOL", "file:git:http:https:ssh");

    /** Never run hooks or a file-system monitor configured by anyone but us. */
    private static final String[] SAFE = {"-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false"};

    // One lock per mirror for every instance in the JVM: concurrent fetches into one repository collide.
    private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    /** Fetches per mirror, for running git's automatic maintenance on one fetch in {@link #MAINTENANCE_EVERY}. */
    private static final Map<Path, AtomicInteger> FETCHES = new ConcurrentHashMap<>();

    static final int MAINTENANCE_EVERY = 32;

    /** The prefix of the branches the gate pushes for review; mirrors never fetch them. */
    public static final String REVIEW_BRANCH_PREFIX = "loopline/";

    private final Git git;
    private final Path mirrors;
    private final Path worktrees;

    public GitMirror(Git git, Path workDir) {
        this.git = git;
        Path root = workDir.toAbsolutePath().normalize();
        this.mirrors = root.resolve("mirrors");
        this.worktrees = root.resolve("worktrees");
        try {
            Files.createDirectories(mirrors);
            Files.createDirectories(worktrees);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create work directory " + root, e);
        }
    }

    public Path worktreesDir() {
        return worktrees;
    }

    /** Clones (first time) or fetches the mirror of {@code repo}; returns the mirror's directory. */
    public Path sync(String repo) {
        Path mirror = mirrorOf(repo);
        ReentrantLock lock = LOCKS.computeIfAbsent(mirror, p -> new ReentrantLock());
        lock.lock();
        try {
            fetch(repo, mirror);
            return mirror;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The mirror of {@code repo} when it holds the commit {@code sha}, fetching only when it does not yet: a commit is
     * content the repository had, which no fetch can change, and the checker reads only that commit. Empty when the
     * repository does not have it (a fabricated id).
     */
    public Optional<Path> holding(String repo, String sha) {
        Path mirror = mirrorOf(repo);
        ReentrantLock lock = LOCKS.computeIfAbsent(mirror, p -> new ReentrantLock());
        lock.lock();
        try {
            if (Files.isRegularFile(mirror.resolve("HEAD")) && isCommit(mirror, sha)) {
                return Optional.of(mirror);
            }
            fetch(repo, mirror);
            return isCommit(mirror, sha) ? Optional.of(mirror) : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    private Path mirrorOf(String repo) {
        return mirrors.resolve(sha256Hex(repo) + ".git");
    }

    /** Clones the mirror the first time, then fetches it; the caller holds the mirror's lock. */
    private void fetch(String repo, Path mirror) {
        try {
            if (!Files.isRegularFile(mirror.resolve("HEAD"))) {
                deleteRecursively(mirror);
                Path partial = mirrors.resolve(mirror.getFileName() + ".partial");
                deleteRecursively(partial);
                git.run(mirrors, FETCH_ENV, null, with("clone", "--bare", "--quiet", "--", repo, partial.toString()));
                git.run(partial, "config", "remote.origin.fetch", "+refs/heads/*:refs/heads/*");
                git.run(partial, "config", "--add", "remote.origin.fetch", "+refs/tags/*:refs/tags/*");
                Files.move(partial, mirror);
            }
            git.run(mirror, FETCH_ENV, null, fetchArgs(mirror));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare mirror of " + repo, e);
        }
    }

    /**
     * Branches and tags, but not Loopline's own review branches ({@code loopline/<loop>/<tick>}, pushed by the
     * gate): a team's repository gains one per reviewed tick, and fetching each into every mirror made every
     * tick's fetch transfer and check objects no loop reads. The refspecs are given on the command line, so a
     * mirror made by an earlier version follows them too. Git's automatic maintenance (a process per fetch) runs on
     * one fetch in {@link #MAINTENANCE_EVERY} per mirror, so loose objects are still packed.
     */
    private String[] fetchArgs(Path mirror) {
        int n = FETCHES.computeIfAbsent(mirror, p -> new AtomicInteger()).getAndIncrement();
        return with(
                "fetch",
                "--quiet",
                "--prune",
                "--force",
                n % MAINTENANCE_EVERY == 0 ? "--auto-maintenance" : "--no-auto-maintenance",
                "origin",
                "+refs/heads/*:refs/heads/*",
                "+refs/tags/*:refs/tags/*",
                "^refs/heads/" + REVIEW_BRANCH_PREFIX + "*");
    }

    /** The commit a ref, tag or object id resolves to in the mirror. */
    public String resolveCommit(Path mirror, String revision) {
        return git.revParse(mirror, revision);
    }

    /** Whether {@code sha} is a full object id naming a commit present in the mirror. */
    public boolean isCommit(Path mirror, String sha) {
        if (sha == null || !OBJECT_ID.matcher(sha).matches()) {
            return false;
        }
        ProcessRunner.Result type = git.tryRun(mirror, Map.of(), null, "cat-file", "-t", sha);
        return type.ok() && type.output().strip().equals("commit");
    }

    /**
     * Checks out {@code sha} detached into a fresh {@code worktrees/<name>}; a leftover of the same name (a
     * crash, a redelivered message) is removed first.
     */
    public Path addWorktree(Path mirror, String name, String sha) {
        Path worktree = worktreePath(name);
        ReentrantLock lock = LOCKS.computeIfAbsent(mirror, p -> new ReentrantLock());
        lock.lock();
        try {
            if (Files.exists(worktree)) {
                removeWorktreeLocked(mirror, worktree);
            }
            git.run(mirror, with("worktree", "add", "--quiet", "--detach", worktree.toString(), sha));
            return worktree;
        } finally {
            lock.unlock();
        }
    }

    /** Removes a worktree and its administrative files; never throws. */
    public void removeWorktree(Path mirror, Path worktree) {
        ReentrantLock lock = LOCKS.computeIfAbsent(mirror, p -> new ReentrantLock());
        lock.lock();
        try {
            removeWorktreeLocked(mirror, worktree);
        } finally {
            lock.unlock();
        }
    }

    /** Deletes every worktree left behind (by a crash) and prunes the mirrors' worktree records. */
    public void sweep() {
        try (Stream<Path> leftovers = Files.list(worktrees)) {
            for (Path leftover : leftovers.toList()) {
                deleteRecursively(leftover);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sweep " + worktrees, e);
        }
        try (Stream<Path> all = Files.list(mirrors)) {
            for (Path mirror : all.filter(p -> p.toString().endsWith(".git")).toList()) {
                git.tryRun(mirror, Map.of(), null, "worktree", "prune");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sweep " + mirrors, e);
        }
    }

    /** The worktree directory for a name made of untrusted parts (tick ids): always a direct child. */
    public Path worktreePath(String name) {
        String safe = UNSAFE_NAME_CHARS.matcher(name).replaceAll("_");
        if (safe.isEmpty() || safe.startsWith(".")) {
            safe = "_" + safe;
        }
        return worktrees.resolve(safe);
    }

    public static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    /** {@code git -c core.hooksPath=/dev/null -c core.fsmonitor=false <args>}. */
    public static String[] with(String... args) {
        String[] all = new String[SAFE.length + args.length];
        System.arraycopy(SAFE, 0, all, 0, SAFE.length);
        System.arraycopy(args, 0, all, SAFE.length, args.length);
        return all;
    }

    private void removeWorktreeLocked(Path mirror, Path worktree) {
        if (git.tryRun(mirror, Map.of(), null, "worktree", "remove", "--force", worktree.toString())
                .ok()) {
            // git removed the directory and its record: nothing is left to prune
            return;
        }
        try {
            deleteRecursively(worktree);
        } catch (IOException e) {
            // reported by the next sweep; removal must never fail the caller
        }
        git.tryRun(mirror, Map.of(), null, "worktree", "prune");
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            List<Path> all = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }
}
