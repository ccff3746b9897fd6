package dev.loopline.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.core.check.TestRepo;
import dev.loopline.core.gate.GateRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mirrors and worktrees on real git repositories. */
class GitMirrorTest {

    private static final Git GIT = new Git();

    @TempDir
    Path temp;

    private TestRepo origin;
    private String repo;
    private GitMirror mirrors;

    @BeforeEach
    void setUp() throws IOException {
        origin =
                TestRepo.create(Files.createDirectories(temp.resolve("origin"))).write("a.txt", "one\n");
        origin.commit("first");
        repo = origin.dir().toString();
        mirrors = new GitMirror(GIT, temp.resolve("work"));
    }

    @Test
    void aFetchBringsNewBranchesAndCommitsButNotTheGatesReviewBranches() {
        Path mirror = mirrors.sync(repo);
        String first = origin.head();
        GIT.run(origin.dir(), "branch", GateRules.branchFor("nightly", "t-1"));
        GIT.run(origin.dir(), "branch", "feature/x");
        String second = origin.write("a.txt", "two\n").commit("second");

        mirrors.sync(repo);

        assertThat(mirrors.resolveCommit(mirror, "main")).isEqualTo(second);
        assertThat(mirrors.resolveCommit(mirror, "feature/x")).isEqualTo(first);
        assertThat(refs(mirror))
                .contains("refs/heads/main", "refs/heads/feature/x")
                .doesNotContain("refs/heads/loopline/nightly/t-1");
    }

    @Test
    void aBranchDeletedUpstreamIsPrunedFromTheMirror() {
        GIT.run(origin.dir(), "branch", "feature/gone");
        Path mirror = mirrors.sync(repo);
        assertThat(refs(mirror)).contains("refs/heads/feature/gone");

        GIT.run(origin.dir(), "branch", "-D", "feature/gone");
        mirrors.sync(repo);

        assertThat(refs(mirror)).doesNotContain("refs/heads/feature/gone");
    }

    @Test
    void aCommitTheMirrorHoldsAlreadyNeedsNoFetch() throws IOException {
        String first = origin.head();
        Path mirror = mirrors.sync(repo);
        String second = origin.write("a.txt", "two\n").commit("second");

        // the known commit: no fetch, so the mirror's main stays where it was
        assertThat(mirrors.holding(repo, first)).contains(mirror);
        assertThat(mirrors.resolveCommit(mirror, "main")).isEqualTo(first);

        // an unknown commit: fetched
        assertThat(mirrors.holding(repo, second)).contains(mirror);
        assertThat(mirrors.resolveCommit(mirror, "main")).isEqualTo(second);
    }

    @Test
    void aCommitTheRepositoryNeverHadIsStillAskedForAndNotFound() {
        Path mirror = mirrors.sync(repo);
        String made = "0123456789abcdef0123456789abcdef01234567";
        String newer = origin.write("a.txt", "two\n").commit("second");

        assertThat(mirrors.holding(repo, made)).isEmpty();

        // the fabricated id did fetch: the mirror is as fresh as a plain sync leaves it
        assertThat(mirrors.resolveCommit(mirror, "main")).isEqualTo(newer);
    }

    @Test
    void aRemovedWorktreeLeavesNeitherItsDirectoryNorItsRecord() {
        Path mirror = mirrors.sync(repo);
        Path worktree = mirrors.addWorktree(mirror, "t-1-1", origin.head());
        assertThat(worktree.resolve("a.txt")).hasContent("one");

        mirrors.removeWorktree(mirror, worktree);

        assertThat(worktree).doesNotExist();
        assertThat(worktreeRecords(mirror)).isEqualTo(1);
    }

    @Test
    void aWorktreeWhoseDirectoryVanishedIsStillPruned() throws IOException {
        Path mirror = mirrors.sync(repo);
        Path worktree = mirrors.addWorktree(mirror, "t-2-1", origin.head());
        GitMirror.deleteRecursively(worktree);

        mirrors.removeWorktree(mirror, worktree);

        assertThat(worktreeRecords(mirror)).isEqualTo(1);
        // and the name can be used again
        assertThat(mirrors.addWorktree(mirror, "t-2-1", origin.head()).resolve("a.txt"))
                .exists();
    }

    private static String refs(Path mirror) {
        return GIT.run(mirror, "for-each-ref", "--format=%(refname)");
    }

    /** Worktrees git knows of, the bare mirror itself included. */
    private static long worktreeRecords(Path mirror) {
        return GIT.tryRun(mirror, Map.of(), null, "worktree", "list", "--porcelain")
                .output()
                .lines()
                .filter(l -> l.startsWith("worktree "))
                .count();
    }
}
