package dev.loopline.makers.llm;

import dev.loopline.schemas.spec.LoopSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One model run's work, as an adapter hands it over.
 *
 * @param reflections what the checker reported on earlier attempts, oldest first; empty on the first attempt
 * @param halt whether the tick has been halted meanwhile; checked between steps
 * @param holds the run's budget: every model call is held and settled through it
 * @param scratch where the run's command output files go (outside the worktree)
 * @param commandEnvironment the whole environment of the commands the model runs: nothing of the caller's own
 */
public record ModelRunRequest(
        Path worktree,
        LoopSpec spec,
        String loopId,
        String tickId,
        int attempt,
        List<String> reflections,
        BooleanSupplier halt,
        CallHolds holds,
        Scratch scratch,
        Map<String, String> commandEnvironment) {

    public ModelRunRequest {
        reflections = reflections == null ? List.of() : List.copyOf(reflections);
        halt = halt == null ? () -> false : halt;
        holds = holds == null ? CallHolds.unlimited() : holds;
        commandEnvironment = Map.copyOf(commandEnvironment);
    }

    /** True once the tick has been halted: stop as soon as possible. */
    public boolean halted() {
        return halt.getAsBoolean();
    }

    /** Makes the run's temporary files. */
    @FunctionalInterface
    public interface Scratch {
        Path tempFile(String prefix, String suffix) throws IOException;
    }
}
