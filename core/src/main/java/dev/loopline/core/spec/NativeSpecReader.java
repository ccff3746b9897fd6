package dev.loopline.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads Loopline's own {@code loopline.yaml}: the file is the internal model, validated as is. */
final class NativeSpecReader implements SpecFormatReader {

    @Override
    public SpecFormat format() {
        return SpecFormat.NATIVE;
    }

    @Override
    public SpecLoadResult read(Path file, JsonNode document) {
        if (!document.isObject()) {
            return SpecLoadResult.problem(new SpecProblem(
                    file.toString(), "$", "a loop spec must be a mapping with at least id, kind, level, target"));
        }
        List<SpecProblem> problems = new ArrayList<>();
        LoadedSpec spec = SpecAssembly.assemble(
                file, SpecFormat.NATIVE, "$", (ObjectNode) document, Map.of(), Map.of(), problems);
        return new SpecLoadResult(spec == null ? List.of() : List.of(spec), problems);
    }
}
