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
final class GitFixture {

    final Git git = new Git();
    final Path remote;
    final Path clone;

    GitFixture(Path root) {
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

    void write(String path, String content) throws IOException {
        Path file = clone.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    String commitAndPush(String message) {
        git.run(clone, "add", "-A");
        git.run(clone, "commit", "-q", "-m", message);
        git.run(clone, "push", "-q", "origin", "HEAD:refs/heads/main");
        return git.revParse(clone, "HEAD");
    }

    /** The staged changes of the clone as a diff against its HEAD (then discarded). */
    String stagedDiff() {
        git.run(clone, "add", "-A");
        String diff = git.tryRun(clone, Map.of(), null, "diff", "--cached", "--binary", "-M")
                .output();
        git.run(clone, "reset", "-q", "--hard", "HEAD");
        return diff;
    }

    String mainOnRemote() {
        return git.revParse(remote, "refs/heads/main");
    }

    String refsOnRemote() {
        return git.run(remote, "for-each-ref", "--format=%(refname) %(objectname)");
    }

    String fileAt(String commit, String path) {
        return git.run(remote, "show", commit + ":" + path);
    }

    String parentOf(String commit) {
        return git.revParse(remote, commit + "^");
    }

    int commitCount(String ref) {
        return Integer.parseInt(git.run(remote, "rev-list", "--count", ref));
    }
}
