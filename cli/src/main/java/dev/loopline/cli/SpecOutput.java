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
