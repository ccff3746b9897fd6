package dev.loopline.core.spec;

/**
 * One thing wrong with a spec file: which file, which field (a JSON path such as {@code $.target.repo}),
 * and what is expected.
 */
public record SpecProblem(String file, String field, String message) {
    @Override
    public String toString() {
        return file + ": " + (field == null || field.isEmpty() ? "" : field + ": ") + message;
    }
}
