package dev.loopline.core.spec;

import java.util.List;

/** Everything a directory scan found: the valid specs and, separately, the problems of invalid ones. */
public record SpecLoadResult(List<LoadedSpec> specs, List<SpecProblem> problems) {
    public SpecLoadResult {
        specs = List.copyOf(specs);
        problems = List.copyOf(problems);
    }
}
