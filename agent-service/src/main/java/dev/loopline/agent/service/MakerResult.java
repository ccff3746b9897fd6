package dev.loopline.agent.service;

import dev.loopline.schemas.events.Finding;
import dev.loopline.schemas.events.Usage;
import java.util.List;

/**
 * What a maker reports besides its edits: a one-line summary, the tokens it used, and what the agent's guards
 * noticed while it worked (tool calls they blocked, untrusted content that looked like a prompt injection).
 */
public record MakerResult(String summary, Usage usage, List<Finding> findings) {

    public MakerResult {
        findings = findings == null ? List.of() : List.copyOf(findings);
    }

    /** A result with no findings. */
    public MakerResult(String summary, Usage usage) {
        this(summary, usage, List.of());
    }
}
