package dev.loopline.scheduler.rest;

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
 * writing (assisted-fix L2) loops on one repository, and two manual loops for the kill-switch and budget checks
 * (killable, thrifty).
 */
public class SpecDirTestResource implements QuarkusTestResourceLifecycleManager {

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
            return Map.of("loopline.scheduler.spec-dir", dir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // a few bytes in the temp dir; nothing to release
    }
}
