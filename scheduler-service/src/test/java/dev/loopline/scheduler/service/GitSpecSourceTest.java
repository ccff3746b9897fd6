package dev.loopline.scheduler.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopline.core.io.Git;
import dev.loopline.core.spec.LoadedSpec;
import dev.loopline.core.spec.LoopSpecReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Specs from a real git repository: cloned, followed on every sync, kept when the remote is gone. */
class GitSpecSourceTest {

    private final Git git = new Git();

    @TempDir
    Path tmp;

    private static String spec(String id, String cadence) {
        return """
                id: %s
                team: platform
                kind: report
                level: L1
                cadence: %s
                target: {repo: /srv/repos/sample}
                budget: {dailyTokens: 100000}
                """
                .formatted(id, cadence);
    }

    /** A bare "remote" with one commit on main holding loops/weekly.yaml; returns the work tree that pushes. */
    private Path remoteWith(Path bare) throws IOException {
        git.run(tmp, "init", "--quiet", "--bare", "--initial-branch=main", bare.toString());
        Path work = tmp.resolve("work");
        git.run(tmp, "clone", "--quiet", bare.toString(), work.toString());
        git.run(work, "checkout", "--quiet", "-b", "main");
        Files.createDirectories(work.resolve("loops"));
        Files.writeString(work.resolve("loops/weekly.yaml"), spec("weekly", "1d"));
        Files.writeString(work.resolve("README.md"), "not a spec\n");
        git.run(work, "add", "-A");
        git.run(work, "commit", "--quiet", "-m", "weekly loop");
        git.run(work, "push", "--quiet", "origin", "main");
        return work;
    }

    private static List<String> ids(Path dir) {
        return new LoopSpecReader()
                .readDirectory(dir).specs().stream()
                        .map(LoadedSpec::spec)
                        .map(s -> s.id() + "@" + s.cadence())
                        .sorted()
                        .toList();
    }

    @Test
    void clonesTheBranchAndFollowsItsNewCommits() throws IOException {
        Path bare = tmp.resolve("specs.git");
        Path work = remoteWith(bare);
        SpecSource source =
                SpecSource.git(new GitSpecSource(git, bare.toString(), "main", tmp.resolve("checkout")), "loops");

        source.sync();
        String first = git.revParse(work, "HEAD");
        assertThat(source.commit()).contains(first);
        assertThat(ids(source.directory())).containsExactly("weekly@1d");

        Files.writeString(work.resolve("loops/weekly.yaml"), spec("weekly", "12h"));
        Files.writeString(work.resolve("loops/triage.yaml"), spec("triage", "30m"));
        git.run(work, "add", "-A");
        git.run(work, "commit", "--quiet", "-m", "faster weekly, new triage");
        git.run(work, "push", "--quiet", "origin", "main");
        source.sync();

        assertThat(source.commit()).contains(git.revParse(work, "HEAD")).isNotEqualTo(first);
        assertThat(ids(source.directory())).containsExactly("triage@30m", "weekly@12h");
    }

    @Test
    void anUnreachableRemoteKeepsTheLastCheckoutAndItsLoops() throws IOException {
        Path bare = tmp.resolve("specs.git");
        Path work = remoteWith(bare);
        SpecSource source =
                SpecSource.git(new GitSpecSource(git, bare.toString(), "main", tmp.resolve("checkout")), "loops");
        source.sync();

        Files.move(bare, tmp.resolve("moved.git"));
        source.sync();

        assertThat(source.commit()).contains(git.revParse(work, "HEAD"));
        assertThat(ids(source.directory())).containsExactly("weekly@1d");
    }

    @Test
    void aRemoteThatNeverAnsweredGivesNoCommitAndNoLoops() {
        SpecSource source = SpecSource.git(
                new GitSpecSource(git, tmp.resolve("missing.git").toString(), "main", tmp.resolve("checkout")),
                "loops");

        source.sync();

        assertThat(source.commit()).isEmpty();
        assertThat(Files.exists(source.directory())).isFalse();
    }

    @Test
    void credentialsInTheUrlNeverReachTheLog() {
        assertThat(GitSpecSource.redacted("https://bot:ghp_secret@github.com/acme/loops.git"))
                .isEqualTo("https://***@github.com/acme/loops.git");
        assertThat(GitSpecSource.redacted("ssh://git@example.com/acme/loops.git"))
                .isEqualTo("ssh://***@example.com/acme/loops.git");
        assertThat(GitSpecSource.redacted("https://github.com/acme/loops.git"))
                .isEqualTo("https://github.com/acme/loops.git");
        assertThat(GitSpecSource.redacted("/srv/git/loops.git")).isEqualTo("/srv/git/loops.git");
    }

    @Test
    void refusesASpecPathOutsideTheRepository() {
        GitSpecSource git = new GitSpecSource(this.git, "unused", "main", tmp.resolve("checkout"));

        assertThatThrownBy(() -> SpecSource.git(git, "../elsewhere"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopline.scheduler.spec-repo.path");
    }
}
