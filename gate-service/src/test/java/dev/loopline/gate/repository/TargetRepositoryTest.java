package dev.loopline.gate.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopline.gate.repository.TargetRepository.CommitIdentity;
import dev.loopline.gate.repository.TargetRepository.PushResult;
import dev.loopline.gate.service.GitFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate's commits on real git repositories: exact, deterministic, and built without a checkout. */
class TargetRepositoryTest {

    private static final CommitIdentity WHO =
            new CommitIdentity("Loopline Gate", "gate@loopline.invalid", Instant.parse("2026-12-07T09:00:00Z"));

    @TempDir
    Path temp;

    private GitFixture fixture;
    private TargetRepository target;
    private String base;

    @BeforeEach
    void setUp() {
        fixture = new GitFixture(temp.resolve("git"));
        target = new TargetRepository(fixture.git, temp.resolve("gate-work"));
        base = fixture.mainOnRemote();
    }

    @Test
    void aCommitHoldsExactlyTheDiffOnItsBaseAndPushesAsABranch() throws IOException {
        fixture.write("docs/guide.md", "# Guide\n\nStep one.\nStep two.\n");
        String diff = fixture.stagedDiff();

        String commit = target.commit(repo(), base, diff, "loopline(docs): tick t-1", WHO);

        assertThat(target.push(repo(), commit, "loopline/docs/t-1")).isEqualTo(PushResult.UPDATED);
        assertThat(fixture.parentOf(commit)).isEqualTo(base);
        assertThat(fixture.fileAt(commit, "docs/guide.md")).isEqualTo("# Guide\n\nStep one.\nStep two.");
        assertThat(fixture.fileAt(commit, "src/app.txt")).isEqualTo("app");
        assertThat(fixture.git.run(fixture.remote, "log", "-1", "--format=%an <%ae> %at%n%cn <%ce> %ct%n%B", commit))
                .isEqualTo("Loopline Gate <gate@loopline.invalid> 1796634000\n"
                        + "Loopline Gate <gate@loopline.invalid> 1796634000\n"
                        + "loopline(docs): tick t-1");
        assertThat(fixture.mainOnRemote()).as("only the branch moved").isEqualTo(base);
    }

    @Test
    void theSameInputsGiveTheSameCommitOnEveryReplica() throws IOException {
        fixture.write("src/app.txt", "app v2\n");
        String diff = fixture.stagedDiff();
        TargetRepository otherReplica = new TargetRepository(fixture.git, temp.resolve("other-gate-work"));

        String first = target.commit(repo(), base, diff, "loopline(app): tick t-2", WHO);

        assertThat(target.commit(repo(), base, diff, "loopline(app): tick t-2", WHO))
                .isEqualTo(first);
        assertThat(otherReplica.commit(repo(), base, diff, "loopline(app): tick t-2", WHO))
                .isEqualTo(first);
    }

    @Test
    void binaryContentModeChangesDeletionsAndRenamesApplyExactly() throws IOException {
        byte[] image = {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13, (byte) 0xff, 0, 1, 2};
        Files.write(fixture.clone.resolve("docs/logo.png"), image);
        Files.setPosixFilePermissions(
                fixture.clone.resolve("src/app.txt"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.delete(fixture.clone.resolve("README.md"));
        Files.move(fixture.clone.resolve("docs/guide.md"), fixture.clone.resolve("docs/manual.md"));
        String diff = fixture.stagedDiff();

        String commit = target.commit(repo(), base, diff, "loopline(assets): tick t-3", WHO);
        assertThat(target.push(repo(), commit, "loopline/assets/t-3")).isEqualTo(PushResult.UPDATED);

        assertThat(fixture.git.run(fixture.remote, "ls-tree", "-r", "--format=%(objectmode) %(path)", commit))
                .isEqualTo("100644 docs/logo.png\n100644 docs/manual.md\n100755 src/app.txt");
        String blob = fixture.git.run(fixture.remote, "rev-parse", commit + ":docs/logo.png");
        Path copy = temp.resolve("logo-copy.png");
        Files.write(copy, image);
        assertThat(fixture.git.run(temp, "hash-object", copy.toString())).isEqualTo(blob);
    }

    @Test
    void aDiffThatDoesNotApplyIsRefusedWithGitsReason() {
        String diff =
                """
                diff --git a/src/app.txt b/src/app.txt
                --- a/src/app.txt
                +++ b/src/app.txt
                @@ -1 +1 @@
                -not what the file says
                +app v3
                """;

        assertThatThrownBy(() -> target.commit(repo(), base, diff, "loopline(app): tick t-4", WHO))
                .isInstanceOf(UnmergeableChangeException.class)
                .hasMessageStartingWith("the diff does not apply to " + base + ": ")
                .hasMessageContaining("src/app.txt");
    }

    @Test
    void aBaseTheRepositoryNeverHadIsRefused() throws IOException {
        fixture.write("src/app.txt", "app v2\n");
        String diff = fixture.stagedDiff();
        String made = "0123456789abcdef0123456789abcdef01234567";

        assertThatThrownBy(() -> target.commit(repo(), made, diff, "loopline(app): tick t-5", WHO))
                .isInstanceOf(UnmergeableChangeException.class)
                .hasMessage("base commit " + made + " is not in " + repo());
    }

    @Test
    void noIndexFileAndNoCheckoutIsLeftBehind() throws IOException {
        fixture.write("src/app.txt", "app v2\n");
        String diff = fixture.stagedDiff();
        target.commit(repo(), base, diff, "loopline(app): tick t-6", WHO);
        assertThatThrownBy(() -> target.commit(repo(), base, "not a diff\n", "loopline(app): tick t-7", WHO))
                .isInstanceOf(UnmergeableChangeException.class);

        try (Stream<Path> left = Files.walk(temp.resolve("gate-work"))) {
            assertThat(left.map(p -> temp.resolve("gate-work").relativize(p).toString()))
                    .noneMatch(p -> p.startsWith("indexes/index-"))
                    .noneMatch(p -> p.startsWith("worktrees"));
        }
    }

    private String repo() {
        return fixture.remote.toString();
    }
}
