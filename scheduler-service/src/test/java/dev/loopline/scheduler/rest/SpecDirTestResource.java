package dev.loopline.scheduler.rest;

import dev.loopline.core.io.Git;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A spec directory for the application under test: a loop on a 30s cadence, a manual-only loop, an invalid
 * spec, a loop declared at a level it is not ready for (capped, on a repository of its own), an L0 (plan-only)
 * loop, a loop to pause and resume, one to halt, a nightly cron loop with a weekend pause window, and two
 * writing (assisted-fix L2) loops on one repository, a loop over budget (gated, see StateStubTestResource), two
 * manual loops for the kill-switch and budget checks (killable, thrifty), and loops with event triggers. The
 * directory is a git repository, committed once; the scheduler reads it through {@code loopline.scheduler.spec-repo}
 * (a shallow checkout of main), as a team keeping its loops in git would configure it.
 */
public class SpecDirTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile String commit;

    /** The commit of the spec repository the application under test follows. */
    public static String commit() {
        return commit;
    }

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("loopline-specs-");
            Files.writeString(
                    dir.resolve("cadenced.yaml"),
                    """
                    id: cadenced
                    team: platform
                    kind: report
                    level: L1
                    cadence: 30s
                    target: {repo: ../sample-repo}
                    budget: {dailyTokens: 100000}
                    """);
            Files.writeString(
                    dir.resolve("on-demand.yaml"),
                    """
                    id: on-demand
                    team: platform
                    kind: assisted-fix
                    level: L2
                    target: {repo: /srv/repos/sample, baseRef: main}
                    test: {command: ./test.sh}
                    maker: {type: mock}
                    budget: {dailyTokens: 100000}
                    """);
            Files.writeString(
                    dir.resolve("capped.yaml"),
                    """
                    id: capped
                    team: platform
                    kind: assisted-fix
                    level: L3
                    target: {repo: /srv/repos/capped}
                    test: {command: ./test.sh}
                    maker: {type: mock}
                    budget: {dailyTokens: 100000}
                    """);
            for (String id : new String[] {"fix-a", "fix-b"}) {
                Files.writeString(
                        dir.resolve(id + ".yaml"),
                        """
                        id: %s
                        team: platform
                        kind: assisted-fix
                        level: L2
                        target: {repo: /srv/repos/shared}
                        test: {command: ./test.sh}
                        maker: {type: mock}
                        budget: {dailyTokens: 100000}
                        """
                                .formatted(id));
            }
            Files.writeString(
                    dir.resolve("gated.yaml"),
                    """
                    id: gated
                    team: platform
                    kind: report
                    level: L1
                    cadence: 30s
                    target: {repo: /srv/repos/gated}
                    budget: {dailyTokens: 100000}
                    """);
            Files.writeString(
                    dir.resolve("pausable.yaml"),
                    """
                    id: pausable
                    team: platform
                    kind: report
                    level: L1
                    target: {repo: /srv/repos/sample}
                    budget: {dailyTokens: 100000}
                    """);
            Files.writeString(
                    dir.resolve("flaky.yaml"),
                    """
                    id: flaky
                    team: platform
                    kind: report
                    level: L1
                    target: {repo: /srv/repos/sample}
                    budget: {dailyTokens: 100000}
                    """);
            Files.writeString(
                    dir.resolve("nightly.yaml"),
                    """
                    id: nightly
                    team: platform
                    kind: report
                    level: L1
                    cron: "30 2 * * *"
                    timezone: Europe/Berlin
                    pauseWindows:
                      - {days: [sat, sun], from: "00:00", to: "00:00"}
                    target: {repo: /srv/repos/sample}
                    budget: {dailyTokens: 100000}
                    """);
            Files.writeString(
                    dir.resolve("plan-only.yaml"),
                    """
                    id: plan-only
                    team: platform
                    kind: report
                    level: L0
                    cadence: 30s
                    target: {repo: /srv/repos/sample}
                    """);
            Files.writeString(
                    dir.resolve("killable.yaml"),
                    """
                    id: killable
                    team: ops
                    kind: report
                    level: L1
                    target: {repo: /srv/repos/ops}
                    budget: {dailyTokens: 100000}
                    """);
            Files.writeString(
                    dir.resolve("thrifty.yaml"),
                    """
                    id: thrifty
                    team: frugal
                    kind: assisted-fix
                    level: L2
                    target: {repo: /srv/repos/frugal, baseRef: main}
                    test: {command: ./test.sh}
                    maker: {type: mock}
                    budget: {dailyTokens: 100000}
                    """);
            Files.writeString(
                    dir.resolve("broken.yaml"),
                    """
                    id: broken
                    kind: report
                    level: L9
                    target: {repo: /srv/repos/sample}
                    """);
            writeWebhookLoops(dir);
            // the specs reach the scheduler the way a team keeps them: committed to a git repository it follows
            Git git = new Git();
            git.run(dir, "init", "--quiet", "--initial-branch=main");
            git.run(dir, "add", "-A");
            git.run(dir, "commit", "--quiet", "-m", "loops for the scheduler's tests");
            commit = git.revParse(dir, "HEAD");
            return Map.of(
                    "loopline.scheduler.spec-repo.url",
                    dir.toString(),
                    "loopline.scheduler.spec-repo.ref",
                    "main",
                    "loopline.scheduler.spec-repo.checkout",
                    Files.createTempDirectory("loopline-spec-checkout-")
                            .resolve("checkout")
                            .toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Loops with event triggers ({@code on}), one per webhook test that expects a tick (a tick stays in flight
     * for the rest of the run): GitHub push to main or release/*, a push elsewhere, label, PR comment, a
     * paused one; GitLab push, merge-request note; and one loop per replay test.
     */
    private static void writeWebhookLoops(Path dir) throws IOException {
        webhookLoop(
                dir, "gh-push", "{source: github, event: push, repo: acme/widgets, branches: [main, \"release/*\"]}");
        webhookLoop(dir, "gh-other-repo", "{source: github, event: push, repo: acme/gadgets}");
        webhookLoop(dir, "gh-label", "{source: github, event: issue-labelled, repo: acme/widgets, labels: [loopline]}");
        webhookLoop(dir, "gh-comment", "{source: github, event: comment, repo: acme/widgets, command: /loopline run}");
        webhookLoop(dir, "gh-replay", "{source: github, event: push, repo: acme/replay}");
        Files.writeString(
                dir.resolve("gh-paused.yaml"),
                """
                id: gh-paused
                team: platform
                kind: report
                level: L1
                paused: true
                task: Summarise the pushed commits
                target: {repo: /srv/repos/sample}
                budget: {dailyTokens: 100000}
                on:
                  - {source: github, event: push, repo: acme/paused}
                """);
        webhookLoop(dir, "gl-push", "{source: gitlab, event: push, repo: platform/tools/widgets, branches: [main]}");
        webhookLoop(
                dir,
                "gl-note",
                "{source: gitlab, event: comment, repo: platform/tools/widgets, command: /loopline run}");
        webhookLoop(dir, "gl-replay", "{source: gitlab, event: push, repo: group/replay}");
    }

    private static void webhookLoop(Path dir, String id, String trigger) throws IOException {
        Files.writeString(
                dir.resolve(id + ".yaml"),
                """
                id: %s
                team: platform
                kind: report
                level: L1
                task: Summarise the pushed commits
                target: {repo: /srv/repos/sample}
                budget: {dailyTokens: 100000}
                on:
                  - %s
                """
                        .formatted(id, trigger));
    }

    @Override
    public void stop() {
        // a few bytes in the temp dir; nothing to release
    }
}
