package dev.loopline.agent.service;

import dev.loopline.core.io.GitMirror;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What belongs to one agent worker: its work directory (mirrors, worktrees, claude-code sessions), a scratch directory
 * for the makers' output files, and an id that marks every process its makers start. A worker killed with SIGKILL
 * cleans up nothing; the process started next on the same work directory (the restarted pod, or the local stack's
 * supervisor) finds its leftovers by these and removes them, and only them: other workers on the same host have other
 * work directories.
 *
 * @param workDir {@code loopline.agent.work-dir}
 */
public record WorkerHome(Path workDir) {

    /** For requests made without a worker (unit tests of one maker): scratch files in the JVM's temp directory. */
    static final WorkerHome NONE = new WorkerHome(null);

    /** The worker's id: a hash of its work directory, carried by its makers' processes ({@link dev.loopline.makers.claude.RunProcesses}). */
    public String id() {
        return workDir == null
                ? null
                : GitMirror.sha256Hex(workDir.toAbsolutePath().normalize().toString())
                        .substring(0, 16);
    }

    /** Where makers' output files go: emptied at start-up, so a killed worker's files do not pile up. */
    public Path scratch() {
        Path dir = workDir == null
                ? Path.of(System.getProperty("java.io.tmpdir"))
                : workDir.toAbsolutePath().resolve("tmp");
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /** A new empty file in {@link #scratch()}. */
    public Path tempFile(String prefix, String suffix) throws IOException {
        return Files.createTempFile(scratch(), prefix, suffix);
    }

    /** Deletes everything in the scratch directory; returns how many entries it held. Never the JVM's temp dir. */
    int clearScratch() {
        if (workDir == null) {
            return 0;
        }
        Path dir = scratch();
        try (Stream<Path> entries = Files.list(dir)) {
            int count = 0;
            for (Path entry : entries.toList()) {
                try (Stream<Path> walk = Files.walk(entry)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                count++;
            }
            return count;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir, e);
        }
    }
}
