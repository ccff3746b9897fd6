package dev.loopline.local;

import dev.loopline.core.io.Git;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The demo's sample repository (a bare repository standing in for the team's remote) and three example
 * loops: an L1 report loop, an L2 propose loop and an L3 merge loop, all with the deterministic mock maker.
 */
final class SampleWorkspace {

    static final String REPORT_LOOP = "weekly-report";
    static final String PROPOSE_LOOP = "greeting-fix";
    static final String MERGE_LOOP = "changelog-bot";

    private final Path dir;
    private final Git git = new Git();

    SampleWorkspace(Path dir) {
        this.dir = dir;
    }

    Path repository() {
        return dir.resolve("repo.git");
    }

    Path loops() {
        return dir.resolve("loops");
    }

    /** Creates the repository and the loops unless they exist (a restart keeps the history). */
    void ensure() {
        try {
            if (!Files.isDirectory(repository())) {
                createRepository();
            }
            if (!Files.isDirectory(loops())) {
                Files.createDirectories(loops());
                writeLoops();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the sample workspace in " + dir + ": " + e.getMessage(), e);
        }
    }

    private void createRepository() throws IOException {
        Files.createDirectories(dir);
        git.run(dir, "init", "--bare", "--initial-branch=main", repository().toString());
        Path seed = Files.createTempDirectory("loopline-sample-seed");
        try {
            git.run(seed, "init", "--initial-branch=main", ".");
            Files.writeString(
                    seed.resolve("README.md"),
                    """
                    # Sample service

                    A tiny repository the demo loops work on.
                    """);
            Files.createDirectories(seed.resolve("docs"));
            Files.writeString(seed.resolve("docs/CHANGELOG.md"), "# Changelog\n\n");
            Files.createDirectories(seed.resolve("src"));
            Files.writeString(seed.resolve("src/greeting.txt"), "hello\n");
            Files.writeString(
                    seed.resolve("test.sh"),
                    """
                    #!/bin/sh
                    # The sample's test suite: two checks the loops must keep green, then every tests/test_*.sh.
                    set -e
                    test -f README.md
                    grep -q hello src/greeting.txt
                    echo "2 checks passed"
                    for t in tests/test_*.sh; do sh "$t"; echo "$t passed"; done
                    """);
            Files.createDirectories(seed.resolve("tests"));
            Files.writeString(
                    seed.resolve("tests/test_greeting.sh"),
                    """
                    #!/bin/sh
                    # The greeting starts with hello.
                    head -n 1 src/greeting.txt | grep -q '^hello'
                    """);
            git.run(seed, "add", "-A");
            git.run(seed, "commit", "-q", "-m", "Initial sample project");
            git.run(seed, "push", "-q", repository().toString(), "main:refs/heads/main");
        } finally {
            deleteTree(seed);
        }
    }

    private void writeLoops() throws IOException {
        Files.writeString(
                loops().resolve(REPORT_LOOP + ".yaml"),
                """
                # L1 report-only: the maker drafts a report; nothing is ever pushed.
                id: weekly-report
                name: Weekly report
                team: platform
                kind: report
                level: L1
                cadence: 2m-4m
                target: {repo: ../repo.git, baseRef: main}
                task: Summarise this week's changes in docs/REPORT.md
                test: {command: sh test.sh, timeoutSeconds: 60}
                maker:
                  type: mock
                  tokensPerRun: 800
                  edits:
                    - {path: docs/REPORT.md, append: "- report drafted by tick {{tick}}\\n"}
                budget: {tokensPerRun: 5000, dailyTokens: 100000, maxAttempts: 1}
                """);
        Files.writeString(
                loops().resolve(PROPOSE_LOOP + ".yaml"),
                """
                # L2 propose: a branch loopline/greeting-fix/<tick> for a human to review.
                id: greeting-fix
                name: Greeting fix
                team: platform
                kind: assisted-fix
                level: L2
                cadence: 3m-5m
                target: {repo: ../repo.git, baseRef: main}
                task: Make the greeting friendlier without breaking the tests
                test: {command: sh test.sh, timeoutSeconds: 60}
                maker:
                  type: mock
                  tokensPerRun: 2400
                  edits:
                    - {path: src/greeting.txt, write: "hello from loopline ({{tick}})\\n"}
                budget: {tokensPerRun: 20000, dailyTokens: 200000, maxAttempts: 2}
                """);
        Files.writeString(
                loops().resolve(MERGE_LOOP + ".yaml"),
                """
                # L3 unattended inside the allowlist: fast-forwards main when only docs/ changes.
                id: changelog-bot
                name: Changelog bot
                team: docs
                kind: assisted-fix
                level: L3
                cadence: 2m-4m
                target: {repo: ../repo.git, baseRef: main}
                task: Append an entry to the changelog
                test: {command: sh test.sh, timeoutSeconds: 60}
                maker:
                  type: mock
                  tokensPerRun: 1200
                  edits:
                    - {path: docs/CHANGELOG.md, append: "- entry written by tick {{tick}}\\n"}
                allowlist: {allow: ["docs/**"], maxFiles: 5, maxLines: 200}
                budget: {tokensPerRun: 10000, dailyTokens: 100000, maxAttempts: 2}
                """);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
