package dev.loopline.agent.service;

import dev.loopline.schemas.spec.LoopSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * @param reflections what went wrong in earlier attempts (verdict reasons and test output), oldest first;
 *     empty on the first attempt
 * @param halt whether the tick has been halted (kill switch, budget halt) meanwhile; a maker that works in steps
 *     checks it between them. The maker's thread is also interrupted on a halt.
 * @param budget the holds of a maker that reserves before every model call ({@link Maker#holdsPerCall()}); unlimited
 *     for the others, whose run is held as a whole by the agent
 * @param worker the agent worker running the maker: its processes carry the worker's mark, its output files go to the
 *     worker's scratch directory (both cleaned up by the next start on the same work directory)
 */
public record MakerRequest(
        Path worktree,
        LoopSpec spec,
        String loopId,
        String tickId,
        int attempt,
        List<String> reflections,
        BooleanSupplier halt,
        CallBudget budget,
        WorkerHome worker) {

    public MakerRequest {
        reflections = List.copyOf(reflections);
        halt = halt == null ? () -> false : halt;
        budget = budget == null ? CallBudget.unlimited() : budget;
        worker = worker == null ? WorkerHome.NONE : worker;
    }

    /** A request outside any worker's home (unit tests): scratch files in the JVM's temp directory, no worker mark. */
    public MakerRequest(
            Path worktree,
            LoopSpec spec,
            String loopId,
            String tickId,
            int attempt,
            List<String> reflections,
            BooleanSupplier halt,
            CallBudget budget) {
        this(worktree, spec, loopId, tickId, attempt, reflections, halt, budget, null);
    }

    /** A request whose model calls are not held one by one. */
    public MakerRequest(
            Path worktree,
            LoopSpec spec,
            String loopId,
            String tickId,
            int attempt,
            List<String> reflections,
            BooleanSupplier halt) {
        this(worktree, spec, loopId, tickId, attempt, reflections, halt, null, null);
    }

    /** A request for a tick that is never halted. */
    public MakerRequest(
            Path worktree, LoopSpec spec, String loopId, String tickId, int attempt, List<String> reflections) {
        this(worktree, spec, loopId, tickId, attempt, reflections, null, null, null);
    }

    /** True once the tick has been halted: stop as soon as possible. */
    public boolean halted() {
        return halt.getAsBoolean();
    }
}
