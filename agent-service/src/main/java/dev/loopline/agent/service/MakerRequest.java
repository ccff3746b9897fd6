package dev.loopline.agent.service;

import dev.loopline.schemas.spec.LoopSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * @param reflections what went wrong in earlier attempts (verdict reasons and test output), oldest first;
 *     empty on the first attempt
 */
public record MakerRequest(
        Path worktree, LoopSpec spec, String loopId, String tickId, int attempt, List<String> reflections) {

    public MakerRequest {
        reflections = List.copyOf(reflections);
    }
}
