package dev.loopline.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.SpecVersion;
import dev.loopline.schemas.json.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Strive {@code loop.json}. Strive's format is closed (draft-07, no extra keys), so every schema
 * violation is an error; the one deliberate difference is that {@code priority} is accepted (Strive's
 * scheduler reads it, its schema rejects it). The mapping is documented in {@code docs/spec-formats.md}.
 */
final class StriveSpecReader implements SpecFormatReader {

    private static final DocumentSchema SCHEMA =
            DocumentSchema.load("formats/strive-loop.schema.json", SpecVersion.VersionFlag.V7);

    private static final Map<String, String> ORIGINS = Map.ofEntries(
            Map.entry("$.level", "$.phase"),
            Map.entry("$.target.baseRef", "$.target.base_ref"),
            Map.entry("$.test.command", "$.test_command"),
            Map.entry("$.budget.tokensPerRun", "$.budget.max_tokens"),
            Map.entry("$.budget.maxAttempts", "$.budget.max_iterations"),
            Map.entry("$.budget.wallClockSeconds", "$.budget.wall_clock_secs"),
            Map.entry("$.allowlist.allow", "$.allowlist.allow_globs"),
            Map.entry("$.allowlist.deny", "$.allowlist.deny_globs"),
            Map.entry("$.allowlist.maxFiles", "$.allowlist.max_files"),
            Map.entry("$.allowlist.maxLines", "$.allowlist.max_lines"),
            Map.entry("$.maker.baseUrl", "$.maker.base_url"),
            Map.entry("$.maker.apiKeyEnv", "$.maker.api_key_env"));

    @Override
    public SpecFormat format() {
        return SpecFormat.STRIVE;
    }

    @Override
    public SpecLoadResult read(Path file, JsonNode doc) {
        String name = file.toString();
        List<SpecProblem> problems = new ArrayList<>();
        List<SpecProblem> warnings = new ArrayList<>();
        for (DocumentSchema.Violation v : SCHEMA.validate(doc)) {
            problems.add(new SpecProblem(name, v.path(), v.message()));
        }
        if (!problems.isEmpty()) {
            return new SpecLoadResult(List.of(), problems, warnings);
        }
        Map<String, String> origins = new LinkedHashMap<>(ORIGINS);
        ObjectNode out = Json.mapper().createObjectNode();
        out.set("id", doc.get("id"));
        out.put("kind", "git-commit-triage".equals(doc.get("kind").asText()) ? "triage" : "assisted-fix");
        out.set("level", doc.get("phase"));
        copy(doc, "cadence", out, "cadence");
        copy(doc, "priority", out, "priority");
        copy(doc, "paused", out, "paused");

        JsonNode target = doc.get("target");
        ObjectNode t = out.putObject("target");
        t.set("repo", target.get("repo"));
        copy(target, "base_ref", t, "baseRef");
        copy(target, "refs", t, "refs");

        copy(doc, "task", out, "task");
        if (doc.hasNonNull("test_command")) {
            out.putObject("test").set("command", doc.get("test_command"));
        }
        mapMaker(doc, out, origins, name, warnings);

        JsonNode allow = doc.get("allowlist");
        if (allow != null) {
            ObjectNode a = out.putObject("allowlist");
            copy(allow, "allow_globs", a, "allow");
            copy(allow, "deny_globs", a, "deny");
            copy(allow, "max_files", a, "maxFiles");
            copy(allow, "max_lines", a, "maxLines");
        }
        JsonNode budget = doc.get("budget");
        ObjectNode b = out.putObject("budget");
        copy(budget, "max_tokens", b, "tokensPerRun");
        copy(budget, "max_iterations", b, "maxAttempts");
        copy(budget, "wall_clock_secs", b, "wallClockSeconds");

        Map<String, Object> attributes = new LinkedHashMap<>();
        for (String kept : List.of("state_file", "connectors")) {
            if (doc.hasNonNull(kept)) {
                attributes.put(kept, Json.mapper().convertValue(doc.get(kept), Object.class));
            }
        }
        if (target.hasNonNull("first_run_since")) {
            attributes.put("first_run_since", target.get("first_run_since").asText());
        }
        if (doc.hasNonNull("connectors")) {
            warnings.add(new SpecProblem(
                    name, "$.connectors", "connectors are kept for reference only; Loopline does not run them"));
        }
        LoadedSpec spec = SpecAssembly.assemble(file, SpecFormat.STRIVE, "$", out, origins, attributes, problems);
        return new SpecLoadResult(spec == null ? List.of() : List.of(spec), problems, warnings);
    }

    private static void mapMaker(
            JsonNode doc, ObjectNode out, Map<String, String> origins, String file, List<SpecProblem> warnings) {
        JsonNode maker = doc.get("maker");
        if (doc.hasNonNull("maker_command")) {
            ObjectNode m = out.putObject("maker");
            m.put("type", "shell");
            m.set("command", doc.get("maker_command"));
            origins.put("$.maker.command", "$.maker_command");
            if (maker != null) {
                warnings.add(new SpecProblem(
                        file, "$.maker", "both maker_command and maker are set; the shell maker_command is used"));
            }
            return;
        }
        if (maker == null) {
            return;
        }
        String type = maker.path("type").asText("llm");
        ObjectNode m = out.putObject("maker");
        m.put("type", "llm".equals(type) ? "anthropic" : "openai");
        copy(maker, "model", m, "model");
        copy(maker, "base_url", m, "baseUrl");
        copy(maker, "api_key_env", m, "apiKeyEnv");
        if ("nvidia".equals(type) && !maker.hasNonNull("api_key_env")) {
            m.put("apiKeyEnv", "NVIDIA_API_KEY");
        }
        if ("openai".equals(type) && !maker.hasNonNull("api_key_env")) {
            m.put("apiKeyEnv", "OPENAI_API_KEY");
        }
        maker.fieldNames().forEachRemaining(f -> {
            if (!List.of("type", "model", "base_url", "api_key_env").contains(f)) {
                warnings.add(new SpecProblem(file, "$.maker." + f, "not used by Loopline; ignored"));
            }
        });
    }

    private static void copy(JsonNode from, String field, ObjectNode to, String as) {
        JsonNode v = from.get(field);
        if (v != null && !v.isNull()) {
            to.set(as, v instanceof ArrayNode a ? a.deepCopy() : v);
        }
    }
}
