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
 */
public record MakerRequest(
        Path worktree,
        LoopSpec spec,
        String loopId,
        String tickId,
        int attempt,
        List<String> reflections,
        BooleanSupplier halt) {

    public MakerRequest {
        reflections = List.copyOf(reflections);
        halt = halt == null ? () -> false : halt;
    }

    /** A request for a tick that is never halted. */
    public MakerRequest(
            Path worktree, LoopSpec spec, String loopId, String tickId, int attempt, List<String> reflections) {
        this(worktree, spec, loopId, tickId, attempt, reflections, null);
    }

    /** True once the tick has been halted: stop as soon as possible. */
    public boolean halted() {
        return halt.getAsBoolean();
    }
}
