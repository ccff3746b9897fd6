package dev.loopline.core.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything a read found: the valid specs, the problems that made specs invalid (each names file and
 * field), and warnings about drift that was tolerated (the spec still loaded).
 */
public record SpecLoadResult(List<LoadedSpec> specs, List<SpecProblem> problems, List<SpecProblem> warnings) {
    public SpecLoadResult {
        specs = List.copyOf(specs);
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
    }

    public SpecLoadResult(List<LoadedSpec> specs, List<SpecProblem> problems) {
        this(specs, problems, List.of());
    }

    public static SpecLoadResult empty() {
        return new SpecLoadResult(List.of(), List.of(), List.of());
    }

    public static SpecLoadResult problem(SpecProblem problem) {
        return new SpecLoadResult(List.of(), List.of(problem), List.of());
    }

    public SpecLoadResult plus(SpecLoadResult other) {
        List<LoadedSpec> s = new ArrayList<>(specs);
        s.addAll(other.specs);
        List<SpecProblem> p = new ArrayList<>(problems);
        p.addAll(other.problems);
        List<SpecProblem> w = new ArrayList<>(warnings);
        w.addAll(other.warnings);
        return new SpecLoadResult(s, p, w);
    }

    public Optional<LoadedSpec> find(String loopId) {
        return specs.stream().filter(s -> s.spec().id().equals(loopId)).findFirst();
    }
}
