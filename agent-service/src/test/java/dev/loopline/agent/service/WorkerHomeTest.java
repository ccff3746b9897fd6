package dev.loopline.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.makers.claude.RunProcesses;
import dev.loopline.schemas.spec.LoopSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restarted worker removes what its killed predecessor left, and nothing of another worker's. */
class WorkerHomeTest {

    @TempDir
    Path dir;

    @Test
    void killsTheProcessesLeftByThisWorkerOnlyAndDetachedOnesToo() throws Exception {
        WorkerHome mine = new WorkerHome(dir.resolve("agent"));
        WorkerHome other = new WorkerHome(dir.resolve("agent-2"));
        // as a shell maker's command leaves them when its agent dies: detached into a session of their own
        Process left = marked(mine, "setsid -f sleep 300; sleep 300; true");
        Process others = marked(other, "sleep 300");
        awaitDescendant(left);

        int killed = RunProcesses.killLeftBy(mine.id());

        // bash, its sleep, and the detached sleep that is no longer below bash
        assertThat(killed).isGreaterThanOrEqualTo(3);
        assertThat(left.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(RunProcesses.killLeftBy(mine.id()))
                .as("nothing of this worker is left")
                .isZero();
        assertThat(others.isAlive()).as("another worker's maker keeps running").isTrue();
        others.destroyForcibly();
    }

    @Test
    void aShellMakerMarksItsCommandWithTheWorkerAndWritesItsOutputInTheScratchDirectory() throws Exception {
        WorkerHome home = new WorkerHome(dir.resolve("agent"));
        MakerRequest request = new MakerRequest(
                dir,
                LoopSpec.builder(
                                "docs",
                                LoopSpec.Kind.ASSISTED_FIX,
                                LoopSpec.Level.L2,
                                new LoopSpec.Target("/nowhere", "main"))
                        .build(),
                "docs",
                "t-1",
                1,
                List.of(),
                null,
                null,
                home);

        Map<String, String> env = ShellMaker.environment(request);
        Path scratchFile = request.worker().tempFile("loopline-shell-maker-", ".log");

        assertThat(env).containsEntry(RunProcesses.WORKER, home.id());
        assertThat(scratchFile.getParent()).isEqualTo(dir.resolve("agent").resolve("tmp"));
        assertThat(new WorkerHome(dir.resolve("agent-2")).id()).isNotEqualTo(home.id());
    }

    @Test
    void theScratchDirectoryIsEmptiedAtStartUpButNeverTheJvmsTempDirectory() throws Exception {
        WorkerHome home = new WorkerHome(dir.resolve("agent"));
        home.tempFile("loopline-proposal-", ".diff");
        Files.createDirectories(home.scratch().resolve("nested")).resolve("f");
        Files.writeString(home.scratch().resolve("nested").resolve("f"), "x");

        assertThat(home.clearScratch()).isEqualTo(2);
        try (var left = Files.list(home.scratch())) {
            assertThat(left).isEmpty();
        }
        assertThat(WorkerHome.NONE.clearScratch()).isZero();
        assertThat(WorkerHome.NONE.id()).isNull();
    }

    private static Process marked(WorkerHome worker, String command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command);
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        RunProcesses.mark(builder.environment(), worker.id());
        return builder.start();
    }

    private static void awaitDescendant(Process p) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (p.descendants().findAny().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
