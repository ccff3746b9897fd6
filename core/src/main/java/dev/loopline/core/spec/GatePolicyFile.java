package dev.loopline.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopline.schemas.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A loop-engineering {@code gate.yaml} beside a registry, mapped onto the spec's allowlist: {@code
 * denylist} → deny, {@code autoMergeAllowlist} → allow (loop-engineering applies it only to auto-merge,
 * which is exactly Loopline's L3), {@code maxFiles} → maxFiles.
 */
final class GatePolicyFile {

    static final List<String> FILE_NAMES = List.of("gate.yaml", "gate.yml");
    private static final Set<String> KNOWN = Set.of("version", "denylist", "maxFiles", "autoMergeAllowlist");

    private GatePolicyFile() {}

    /**
     * Reads the gate policy beside {@code registry}; returns the allowlist as internal JSON or {@code null}
     * when there is no gate file or it is invalid (then the problems say why; an invalid gate never
     * widens anything: the patterns load without an allowlist, so none can be unattended).
     */
    static ObjectNode readBeside(Path registry, List<SpecProblem> problems, List<SpecProblem> warnings) {
        Path dir = registry.toAbsolutePath().getParent();
        Path gate = FILE_NAMES.stream()
                .map(dir::resolve)
                .filter(Files::isRegularFile)
                .findFirst()
                .orElse(null);
        if (gate == null) {
            return null;
        }
        String name = gate.toString();
        JsonNode doc;
        try {
            doc = SpecReaders.parse(gate);
        } catch (SpecReaders.UnreadableException e) {
            problems.add(new SpecProblem(name, e.field(), e.getMessage()));
            return null;
        }
        if (doc == null || !doc.isObject()) {
            problems.add(new SpecProblem(
                    name, "$", "a gate policy must be a mapping (denylist, maxFiles, autoMergeAllowlist)"));
            return null;
        }
        int before = problems.size();
        doc.fieldNames().forEachRemaining(f -> {
            if (!KNOWN.contains(f)) {
                warnings.add(new SpecProblem(name, "$." + f, "unknown gate key; ignored"));
            }
        });
        ObjectNode allowlist = Json.mapper().createObjectNode();
        globs(doc, "denylist", allowlist, "deny", name, problems);
        globs(doc, "autoMergeAllowlist", allowlist, "allow", name, problems);
        JsonNode maxFiles = doc.get("maxFiles");
        if (maxFiles != null && !maxFiles.isNull()) {
            if (maxFiles.canConvertToInt() && maxFiles.isIntegralNumber() && maxFiles.asInt() >= 1) {
                allowlist.put("maxFiles", maxFiles.asInt());
            } else {
                problems.add(new SpecProblem(name, "$.maxFiles", "expected an integer of at least 1"));
            }
        }
        return problems.size() == before ? allowlist : null;
    }

    private static void globs(
            JsonNode doc, String field, ObjectNode out, String as, String file, List<SpecProblem> problems) {
        JsonNode v = doc.get(field);
        if (v == null || v.isNull()) {
            return;
        }
        if (!v.isArray()) {
            problems.add(new SpecProblem(file, "$." + field, "expected a list of glob strings"));
            return;
        }
        ArrayNode a = out.putArray(as);
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual() || v.get(i).asText().isEmpty()) {
                problems.add(new SpecProblem(file, "$." + field + "[" + i + "]", "expected a non-empty glob string"));
            } else {
                a.add(v.get(i).asText());
            }
        }
    }
}
