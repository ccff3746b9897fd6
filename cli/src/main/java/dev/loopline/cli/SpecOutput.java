package dev.loopline.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.loopline.core.spec.LoadedSpec;
import dev.loopline.core.spec.SpecLoadResult;
import dev.loopline.core.spec.SpecRepository;
import dev.loopline.schemas.json.Json;
import dev.loopline.schemas.spec.LoopSpec;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Shared by the spec verbs: loading a path in any format, selecting loops, printing problems and JSON. */
final class SpecOutput {

    private SpecOutput() {}

    static boolean exists(Path path) {
        return Files.isRegularFile(path) || Files.isDirectory(path);
    }

    static SpecLoadResult load(Path path) {
        return new SpecRepository().load(path);
    }

    /** The loops of {@code result}, or only {@code loopId} when given; empty when it is not there. */
    static List<LoadedSpec> select(SpecLoadResult result, String loopId) {
        if (loopId == null) {
            return result.specs();
        }
        return result.find(loopId).map(List::of).orElse(List.of());
    }

    /** What a spec verb's words name: the loops read, the one asked for (or null for all), where they came from. */
    record Selection(SpecLoadResult result, String loop, String where) {}

    /**
     * The words {@code [<spec|dir>] [<loop>]} of a spec verb: none reads {@code sources}; one is a spec path when it
     * exists, else a loop id read from {@code sources}; two are a spec path and a loop id (the earlier form).
     *
     * @throws UsageException naming a spec path that does not exist
     */
    static Selection selection(List<String> words, SpecSources sources, boolean firstWordIsLoop) {
        List<String> w = words == null ? List.of() : words;
        if (w.size() == 2 || (w.size() == 1 && !firstWordIsLoop && exists(Path.of(w.get(0))))) {
            Path path = Path.of(w.get(0));
            if (!exists(path)) {
                throw new UsageException(path + ": no such file or directory");
            }
            return new Selection(load(path), w.size() == 2 ? w.get(1) : null, path.toString());
        }
        return new Selection(sources.load(), w.isEmpty() ? null : w.get(0), sources.describe());
    }

    /**
     * The one loop a loop-first verb names ({@code plan}, {@code run}): {@code <loop>} read from {@code sources}, or
     * {@code <spec|dir> <loop>}.
     *
     * @throws UsageException naming the missing path, or the loop that is not there and the loops that are
     */
    static LoadedSpec loop(List<String> words, SpecSources sources) {
        Selection selection = selection(words, sources, true);
        List<LoadedSpec> selected = select(selection.result(), selection.loop());
        if (selected.isEmpty()) {
            printProblems(selection.result(), System.err);
            throw new UsageException("no valid loop '" + selection.loop() + "' in " + selection.where() + "; loops: "
                    + selection.result().specs().stream()
                            .map(s -> s.spec().id())
                            .toList());
        }
        return selected.get(0);
    }

    static void printProblems(SpecLoadResult result, PrintStream out) {
        result.warnings().forEach(w -> out.println("warning  " + w));
        result.problems().forEach(p -> out.println("invalid  " + p));
    }

    static String kind(LoopSpec.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static String json(Object value) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String nullable(Object value, String ifNull) {
        return value == null ? ifNull : value.toString();
    }
}
