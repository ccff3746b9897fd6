package dev.loopline.core.check;

import dev.loopline.core.io.Git;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real git repository with a {@code main} branch, for tests. */
public final class TestRepo {

    private static final Git GIT = new Git();
    private final Path dir;

    private TestRepo(Path dir) {
        this.dir = dir;
    }

    public static TestRepo create(Path dir) {
        GIT.run(dir, "init", "--quiet", "--initial-branch=main");
        return new TestRepo(dir);
    }

    public Path dir() {
        return dir;
    }

    public TestRepo write(String path, String content) {
        try {
            Path file = dir.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The uncommitted changes as a binary-safe diff against HEAD (what the agent would propose); the
     * working tree is reset to HEAD afterwards.
     */
    public String diffAndReset() {
        GIT.run(dir, "add", "-A");
        String diff = GIT.tryRun(dir, java.util.Map.of(), null, "diff", "--cached", "--binary", "HEAD")
                .output();
        GIT.run(dir, "reset", "--quiet", "--hard", "HEAD");
        return diff;
    }

    public String head() {
        return GIT.revParse(dir, "HEAD");
    }

    /** Commits everything and returns the new commit's full id. */
    public String commit(String message) {
        GIT.run(dir, "add", "-A");
        GIT.run(dir, "commit", "--quiet", "-m", message);
        return GIT.revParse(dir, "HEAD");
    }
}
