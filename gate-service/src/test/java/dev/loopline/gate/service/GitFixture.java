package dev.loopline.gate.service;

import dev.loopline.core.io.Git;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real bare "remote" repository with a {@code main} branch, and a scratch clone to write diffs and
 * to move {@code main} behind the gate's back.
 */
public final class GitFixture {

    public final Git git = new Git();
    public final Path remote;
    public final Path clone;

    public GitFixture(Path root) {
        try {
            remote = Files.createDirectories(root.resolve("remote.git"));
            git.run(remote, "init", "-q", "--bare", "--initial-branch=main");
            clone = root.resolve("clone");
            git.run(root, "clone", "-q", remote.toString(), clone.toString());
            write("README.md", "# sample\n");
            write("docs/guide.md", "# Guide\n\nStep one.\n");
            write("src/app.txt", "app\n");
            commitAndPush("initial");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(String path, String content) throws IOException {
        Path file = clone.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    public String commitAndPush(String message) {
        git.run(clone, "add", "-A");
        git.run(clone, "commit", "-q", "-m", message);
        git.run(clone, "push", "-q", "origin", "HEAD:refs/heads/main");
        return git.revParse(clone, "HEAD");
    }

    /** The staged changes of the clone as a diff against its HEAD (then discarded). */
    public String stagedDiff() {
        git.run(clone, "add", "-A");
        String diff = git.tryRun(clone, Map.of(), null, "diff", "--cached", "--binary", "-M")
                .output();
        git.run(clone, "reset", "-q", "--hard", "HEAD");
        return diff;
    }

    public String mainOnRemote() {
        return git.revParse(remote, "refs/heads/main");
    }

    public String refsOnRemote() {
        return git.run(remote, "for-each-ref", "--format=%(refname) %(objectname)");
    }

    public String fileAt(String commit, String path) {
        return git.run(remote, "show", commit + ":" + path);
    }

    public String parentOf(String commit) {
        return git.revParse(remote, commit + "^");
    }

    public int commitCount(String ref) {
        return Integer.parseInt(git.run(remote, "rev-list", "--count", ref));
    }
}
