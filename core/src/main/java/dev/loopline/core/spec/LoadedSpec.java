package dev.loopline.core.spec;

import dev.loopline.schemas.spec.LoopSpec;
import java.nio.file.Path;

/** A spec read from a file: the model, where it came from, and the hash recorded on every tick. */
public record LoadedSpec(LoopSpec spec, Path file, String hash) {}
