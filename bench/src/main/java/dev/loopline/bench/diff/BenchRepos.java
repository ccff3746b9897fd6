package dev.loopline.bench.diff;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Builds real git repositories and diffs for the benchmarks. */
final class BenchRepos {

    private BenchRepos() {}

    /**
     * A real unified diff between two releases of a source tree, taken with {@code git diff} from a
     * throw-away repository. Sources: {@code -Dloopline.bench.v1/-Dloopline.bench.v2} directories, else
     * the Python 3.12.1 and 3.13.0 standard libraries under {@code ~/.pyenv} (about 8 MB of diff).
     * Returns null when neither is available; callers then fall back to a generated diff.
     */
    static String realDiff(Path work) throws IOException, InterruptedException {
        Path v1 = pick("loopline.bench.v1", "/root/.pyenv/versions/3.12.1/lib/python3.12");
        Path v2 = pick("loopline.bench.v2", "/root/.pyenv/versions/3.13.0/lib/python3.13");
        if (v1 == null || v2 == null) {
            return null;
        }
        Path repo = Files.createDirectories(work.resolve("src-repo"));
        git(repo, "init", "-q");
        git(repo, "config", "user.email", "bench@example.com");
        git(repo, "config", "user.name", "bench");
        copySources(v1, repo);
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "v1");
        clear(repo);
        copySources(v2, repo);
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "v2");
        return git(repo, "diff", "-M", "HEAD~1", "HEAD");
    }

    private static Path pick(String property, String fallback) {
        String p = System.getProperty(property, fallback);
        Path path = Path.of(p);
        return Files.isDirectory(path) ? path : null;
    }

    private static void copySources(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String rel = from.relativize(f).toString();
                if (!Files.isRegularFile(f)
                        || rel.contains("site-packages")
                        || rel.contains("__pycache__")
                        || !(rel.endsWith(".py") || rel.endsWith(".java") || rel.endsWith(".txt"))) {
                    continue;
                }
                Path target = to.resolve(rel);
                Files.createDirectories(target.getParent());
                Files.copy(f, target);
            }
        }
    }

    private static void clear(Path repo) throws IOException {
        try (Stream<Path> top = Files.list(repo)) {
            for (Path p : (Iterable<Path>) top::iterator) {
                if (!p.getFileName().toString().equals(".git")) {
                    deleteTree(p);
                }
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** A generated diff of roughly {@code bytes} size: the documented fallback. */
    static String syntheticDiff(int bytes) {
        StringBuilder sb = new StringBuilder(bytes + 4096);
        int file = 0;
        while (sb.length() < bytes) {
            String p =
                    (file % 5 == 0 ? "src/test/java/p/F" + file + "Test.java" : "src/main/java/p/F" + file + ".java");
            sb.append("diff --git a/")
                    .append(p)
                    .append(" b/")
                    .append(p)
                    .append("\nindex 1111111..2222222 100644\n--- a/")
                    .append(p)
                    .append("\n+++ b/")
                    .append(p)
                    .append("\n@@ -1,60 +1,60 @@\n");
            for (int i = 0; i < 20; i++) {
                sb.append("     int value")
                        .append(i)
                        .append(" = compute(")
                        .append(i)
                        .append(");\n");
                sb.append("-    assertEquals(")
                        .append(i)
                        .append(", value")
                        .append(i)
                        .append(");\n");
                sb.append("+    assertThat(value")
                        .append(i)
                        .append(").isEqualTo(")
                        .append(i)
                        .append(");\n");
            }
            file++;
        }
        return sb.toString();
    }

    /** A repository with {@code commits} commits; returns their full ids, oldest first. */
    static List<String> repoWithCommits(Path repo, int commits) throws IOException, InterruptedException {
        Files.createDirectories(repo);
        git(repo, "init", "-q");
        // fast-import writes all commits in one process.
        StringBuilder fi = new StringBuilder();
        for (int i = 1; i <= commits; i++) {
            String content = "change " + i + "\n";
            fi.append("commit refs/heads/main\nmark :")
                    .append(i)
                    .append('\n')
                    .append("committer bench <bench@example.com> ")
                    .append(1_700_000_000L + i)
                    .append(" +0000\n")
                    .append("data ")
                    .append(("c" + i).length())
                    .append("\nc")
                    .append(i)
                    .append('\n');
            if (i > 1) {
                fi.append("from :").append(i - 1).append('\n');
            }
            fi.append("M 100644 inline f.txt\ndata ")
                    .append(content.length())
                    .append('\n')
                    .append(content)
                    .append('\n');
        }
        run(repo, fi.toString(), "fast-import", "--quiet");
        String log = git(repo, "rev-list", "--reverse", "main");
        List<String> out = new ArrayList<>();
        for (String l : log.split("\n")) {
            if (!l.isBlank()) {
                out.add(l.strip());
            }
        }
        return out;
    }

    static String git(Path repo, String... args) throws IOException, InterruptedException {
        return run(repo, null, args);
    }

    private static String run(Path repo, String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", repo.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        if (stdin != null) {
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } else {
            p.getOutputStream().close();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new UncheckedIOException(new IOException("git " + String.join(" ", args) + " failed"));
        }
        return out;
    }
}
