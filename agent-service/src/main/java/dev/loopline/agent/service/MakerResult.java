package dev.loopline.agent.service;

import dev.loopline.schemas.events.Usage;

/** What a maker reports besides its edits: a one-line summary and the tokens it used. */
public record MakerResult(String summary, Usage usage) {}
