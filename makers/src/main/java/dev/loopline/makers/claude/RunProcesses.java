package dev.loopline.makers.claude;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every process of one maker run, found by a variable in its environment. The CLI starts each shell command in a
 * session of its own, and a command can detach further ({@code setsid -f}, {@code nohup … &}, a double fork): such
 * processes leave both the process group and the tree below the CLI, but they keep the environment they were started
 * with. Linux only ({@code /proc/<pid>/environ}); a process that empties its own environment is not found.
 */
public final class RunProcesses {

    /** The variable that marks a run's processes; its value is the run's id. */
    public static final String VARIABLE = "LOOPLINE_MAKER_RUN";

    /**
     * The variable that marks every process a worker's makers start; its value is the worker's id (agent-service's {@code WorkerHome}). The JVM
     * itself does not carry it, so a worker killed with SIGKILL leaves marked processes only.
     */
    public static final String WORKER = "LOOPLINE_AGENT_WORKER";

    /** A process may fork while its siblings are killed: look again a few times. */
    private static final int ROUNDS = 5;

    private RunProcesses() {}

    /** Adds the worker's mark to a maker's environment (nothing for a request outside any worker). */
    public static void mark(Map<String, String> env, String workerId) {
        String id = workerId;
        if (id != null) {
            env.put(WORKER, id);
        }
    }

    /** Kills every process that carries {@code VARIABLE=id}; returns how many distinct ones. */
    public static int killAll(String id) {
        return killMarked(VARIABLE, id);
    }

    /**
     * Kills every process a worker's makers started and left (the worker was killed before it could): at start-up,
     * before the worktrees they may still write to are removed.
     */
    public static int killLeftBy(String workerId) {
        String id = workerId;
        return id == null ? 0 : killMarked(WORKER, id);
    }

    private static int killMarked(String variable, String value) {
        byte[] needle = (variable + "=" + value + "\0").getBytes(StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        Set<Long> killed = new HashSet<>();
        // a halted run arrives here interrupted; the clean-up must still wait, and the interrupt stays the caller's
        boolean interrupted = Thread.interrupted();
        for (int round = 0; round < ROUNDS; round++) {
            List<ProcessHandle> found = ProcessHandle.allProcesses()
                    .filter(p -> p.pid() != self && carries(p.pid(), needle))
                    .toList();
            if (found.isEmpty()) {
                break;
            }
            found.forEach(ProcessHandle::destroyForcibly);
            found.forEach(p -> killed.add(p.pid()));
            // a killed process keeps its environment until it is gone: wait for that before looking again
            try {
                CompletableFuture.allOf(
                                found.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                        .get(1, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // looked at again in the next round
            } catch (InterruptedException e) {
                interrupted = true;
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return killed.size();
    }

    private static boolean carries(long pid, byte[] needle) {
        byte[] environ;
        try {
            environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
        } catch (IOException | SecurityException e) {
            return false; // gone, or not ours to read (and so not ours to kill)
        }
        outer:
        for (int i = 0; i + needle.length <= environ.length; i++) {
            if (i > 0 && environ[i - 1] != 0) {
                continue;
            }
            for (int j = 0; j < needle.length; j++) {
                if (environ[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
