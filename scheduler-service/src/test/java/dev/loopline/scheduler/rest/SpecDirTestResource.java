package dev.loopline.scheduler.rest;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A spec directory for the application under test: a loop on a 30s cadence, a manual-only loop, and an
 * invalid spec.
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
                    """);
            Files.writeString(
                    dir.resolve("on-demand.yaml"),
                    """
                    id: on-demand
                    team: platform
                    kind: assisted-fix
                    level: L2
                    target: {repo: /srv/repos/sample, baseRef: main}
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
