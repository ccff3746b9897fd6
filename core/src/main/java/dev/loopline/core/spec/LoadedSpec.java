package dev.loopline.core.spec;

import dev.loopline.schemas.spec.LoopSpec;
import java.nio.file.Path;
import java.util.Map;

/**
 * A spec read from a file: the model, where it came from, and the hash recorded on every tick.
 *
 * @param spec the spec in the internal model
 * @param file the file it was read from
 * @param hash SHA-256 of the canonical internal JSON ({@link SpecHash})
 * @param format the format of {@code file}
 * @param source where in the file the spec is: {@code $} for a one-spec file, {@code $.patterns[2]} for a
 *     registry entry
 * @param attributes source fields that have no place in the model but are worth showing (a registry
 *     pattern's risk, phases, human gates, skills, ...); never used for decisions
 */
public record LoadedSpec(
        LoopSpec spec, Path file, String hash, SpecFormat format, String source, Map<String, Object> attributes) {

    public LoadedSpec {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** A native spec that is the whole file. */
    public LoadedSpec(LoopSpec spec, Path file, String hash) {
        this(spec, file, hash, SpecFormat.NATIVE, "$", Map.of());
    }
}
