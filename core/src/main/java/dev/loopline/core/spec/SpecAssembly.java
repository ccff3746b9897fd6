package dev.loopline.core.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopline.schemas.json.Json;
import dev.loopline.schemas.json.SchemaValidator;
import dev.loopline.schemas.spec.LoopSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last step of every reader: the internal JSON a reader built is checked against the loop-spec
 * schema (the one contract), turned into the model, its repository resolved, and hashed.
 */
final class SpecAssembly {

    /** A missing or unknown property is named in the field path, not only in the message. */
    private static final Pattern NAMED_PROPERTY =
            Pattern.compile("^(?:required )?property '([^']+)' (?:is not defined|not found)");

    private SpecAssembly() {}

    /**
     * @param internal the spec in the native JSON shape
     * @param origins internal field path → the source field it came from, so problems name what the user
     *     wrote (e.g. {@code $.level} → {@code $.phase}); unmapped paths are shown as {@code source → path}
     * @return the loaded spec, or {@code null} after adding problems
     */
    static LoadedSpec assemble(
            Path file,
            SpecFormat format,
            String source,
            ObjectNode internal,
            Map<String, String> origins,
            Map<String, Object> attributes,
            List<SpecProblem> problems) {
        String name = file.toString();
        List<String> violations = SchemaValidator.get().validate(SchemaValidator.LOOP_SPEC, internal);
        if (!violations.isEmpty()) {
            for (String v : violations) {
                int colon = v.indexOf(": ");
                String path = v.startsWith("$") && colon > 0 ? v.substring(0, colon) : "$";
                String message = v.startsWith("$") && colon > 0 ? v.substring(colon + 2) : v;
                Matcher named = NAMED_PROPERTY.matcher(message);
                if (named.find()) {
                    path = path + "." + named.group(1);
                }
                problems.add(new SpecProblem(name, origin(path, source, origins), message));
            }
            return null;
        }
        LoopSpec spec;
        try {
            spec = Json.mapper().treeToValue(internal, LoopSpec.class);
        } catch (JsonProcessingException | RuntimeException e) {
            problems.add(new SpecProblem(name, source, "cannot read spec: " + e.getMessage()));
            return null;
        }
        List<SpecRules.Violation> ruleViolations = SpecRules.check(spec);
        if (!ruleViolations.isEmpty()) {
            for (SpecRules.Violation v : ruleViolations) {
                problems.add(new SpecProblem(name, origin(v.path(), source, origins), v.message()));
            }
            return null;
        }
        LoopSpec.Target t = spec.target();
        spec = spec.withTarget(new LoopSpec.Target(resolveRepo(file, t.repo()), t.baseRefOrDefault(), t.refs()));
        return new LoadedSpec(spec, file, SpecHash.of(spec), format, source, attributes);
    }

    private static String origin(String internalPath, String source, Map<String, String> origins) {
        String best = null;
        for (Map.Entry<String, String> e : origins.entrySet()) {
            String key = e.getKey();
            if ((internalPath.equals(key) || internalPath.startsWith(key + ".") || internalPath.startsWith(key + "["))
                    && (best == null || key.length() > best.length())) {
                best = key;
            }
        }
        if (best != null) {
            return origins.get(best) + internalPath.substring(best.length());
        }
        return "$".equals(source) ? internalPath : source + " (as loopline " + internalPath + ")";
    }

    /** Relative paths resolve against the spec file's directory; URLs and absolute paths stay. */
    static String resolveRepo(Path specFile, String repo) {
        if (repo.contains("://") || repo.startsWith("git@") || Path.of(repo).isAbsolute()) {
            return repo;
        }
        Path base = specFile.toAbsolutePath().getParent();
        return base.resolve(repo).normalize().toString();
    }

    static JsonNode textOrNull(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }
}
