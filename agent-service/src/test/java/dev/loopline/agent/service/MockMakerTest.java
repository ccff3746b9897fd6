package dev.loopline.agent.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopline.schemas.spec.LoopSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MockMakerTest {

    @TempDir
    Path temp;

    private final MockMaker maker = new MockMaker();

    @Test
    void appliesWriteAppendAndDeleteWithPlaceholdersReplaced() throws IOException {
        Path worktree = Files.createDirectories(temp.resolve("wt"));
        Files.writeString(worktree.resolve("log.txt"), "start\n");
        Files.writeString(worktree.resolve("old.txt"), "bye\n");

        MakerResult result = maker.make(request(
                worktree,
                7,
                new LoopSpec.Edit("docs/note.md", "tick {{tick}} of {{loop}}\n", null, null),
                new LoopSpec.Edit("log.txt", null, "ran {{tick}}\n", null),
                new LoopSpec.Edit("old.txt", null, null, true)));

        assertThat(worktree.resolve("docs/note.md")).hasContent("tick t-42 of docs-loop");
        assertThat(worktree.resolve("log.txt")).hasContent("start\nran t-42");
        assertThat(worktree.resolve("old.txt")).doesNotExist();
        assertThat(result.usage().total()).isEqualTo(7);
        assertThat(result.summary()).isEqualTo("mock maker: wrote docs/note.md, appended to log.txt, deleted old.txt");
    }

    @Test
    void reportsNoTokensWhenTheSpecSetsNone() throws IOException {
        Path worktree = Files.createDirectories(temp.resolve("wt"));

        MakerResult result = maker.make(request(worktree, null, new LoopSpec.Edit("a.txt", "a", null, null)));

        assertThat(result.usage().total()).isZero();
    }

    @Test
    void refusesParentDirectoryEscape() throws IOException {
        Path worktree = Files.createDirectories(temp.resolve("wt"));

        assertThatThrownBy(() -> maker.make(request(worktree, 0, new LoopSpec.Edit("../x", "pwned", null, null))))
                .isInstanceOf(MakerException.class)
                .hasMessageContaining("'..' is not allowed");
        assertThat(temp.resolve("x")).doesNotExist();
    }

    @Test
    void refusesAbsolutePaths() throws IOException {
        Path worktree = Files.createDirectories(temp.resolve("wt"));

        assertThatThrownBy(
                        () -> maker.make(request(worktree, 0, new LoopSpec.Edit("/etc/passwd", "pwned", null, null))))
                .isInstanceOf(MakerException.class)
                .hasMessageContaining("absolute path");
    }

    @Test
    void refusesGitMetadata() throws IOException {
        Path worktree = Files.createDirectories(temp.resolve("wt"));
        Files.createDirectories(worktree.resolve(".git"));

        assertThatThrownBy(
                        () -> maker.make(request(worktree, 0, new LoopSpec.Edit(".git/config", "pwned", null, null))))
                .isInstanceOf(MakerException.class)
                .hasMessageContaining("git metadata");
        assertThat(worktree.resolve(".git/config")).doesNotExist();
    }

    @Test
    void refusesWritingThroughASymlinkThatLeadsOutOfTheWorktree() throws IOException {
        Path worktree = Files.createDirectories(temp.resolve("wt"));
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.createSymbolicLink(worktree.resolve("escape"), outside);

        assertThatThrownBy(() ->
                        maker.make(request(worktree, 0, new LoopSpec.Edit("escape/evil.txt", "pwned", null, null))))
                .isInstanceOf(MakerException.class)
                .hasMessageContaining("resolves outside the worktree");
        assertThat(outside.resolve("evil.txt")).doesNotExist();
    }

    @Test
    void refusesAPathWhosePrefixOnlyLooksInside() throws IOException {
        // "wt-evil" starts with the string "wt" but is not inside it: component-wise comparison catches it
        Path worktree = Files.createDirectories(temp.resolve("wt"));
        Path sibling = Files.createDirectories(temp.resolve("wt-evil"));
        Files.createSymbolicLink(worktree.resolve("sib"), sibling);

        assertThatThrownBy(() -> maker.make(request(worktree, 0, new LoopSpec.Edit("sib/f", "pwned", null, null))))
                .isInstanceOf(MakerException.class)
                .hasMessageContaining("resolves outside the worktree");
        assertThat(sibling.resolve("f")).doesNotExist();
    }

    private static MakerRequest request(Path worktree, Integer tokens, LoopSpec.Edit... edits) {
        LoopSpec spec = LoopSpec.builder(
                        "docs-loop",
                        LoopSpec.Kind.ASSISTED_FIX,
                        LoopSpec.Level.L2,
                        new LoopSpec.Target("/repo", "main"))
                .maker(new LoopSpec.Maker("mock", null, null, List.of(edits), tokens))
                .build();
        return new MakerRequest(worktree, spec, "docs-loop", "t-42", 1, List.of());
    }
}
