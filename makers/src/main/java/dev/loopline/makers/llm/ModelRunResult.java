package dev.loopline.makers.llm;

import dev.loopline.schemas.events.Usage;

/** What a finished model run reports besides its edits: the model's one-paragraph summary and the tokens it used. */
public record ModelRunResult(String summary, Usage usage) {}
