package dev.loopline.core.spec;

import dev.loopline.schemas.spec.LoopSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * The original entry point, kept for callers: it now reads every supported format through {@link
 * SpecRepository}. New code should use {@link SpecRepository} (which also reports warnings).
 */
public final class LoopSpecReader {

    private final SpecRepository repository;

    public LoopSpecReader() {
        this(new SpecRepository());
    }

    public LoopSpecReader(SpecRepository repository) {
        this.repository = repository;
    }

    /** Reads every spec file directly inside {@code dir}, in any supported format. */
    public SpecLoadResult readDirectory(Path dir) {
        if (!java.nio.file.Files.isDirectory(dir)) {
            return SpecLoadResult.problem(new SpecProblem(dir.toString(), "", "spec directory does not exist"));
        }
        return repository.load(dir);
    }

    /**
     * Reads one file; on failure returns {@code null} and adds the problems. A file holding several specs
     * (a registry) returns the first; use {@link SpecRepository#load(Path)} for all of them.
     */
    public LoadedSpec read(Path file, List<SpecProblem> problems) {
        SpecLoadResult result = repository.load(file);
        problems.addAll(result.problems());
        return result.specs().isEmpty() ? null : result.specs().get(0);
    }

    /** SHA-256 of the spec's canonical JSON: two specs with the same content have the same hash. */
    public static String hash(LoopSpec spec) {
        return SpecHash.of(spec);
    }
}
