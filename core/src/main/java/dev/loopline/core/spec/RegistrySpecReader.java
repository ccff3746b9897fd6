package dev.loopline.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.SpecVersion;
import dev.loopline.schemas.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a loop-engineering {@code registry.yaml} as published: each pattern becomes one spec. Patterns are
 * checked against the published {@code registry.schema.json}, but drift that real registries carry is a
 * warning, not an error: extra keys (such as {@code cost.stable_fraction}), missing fields Loopline does
 * not need, values of descriptive fields outside the schema, ranges written longest-first. A field
 * Loopline maps onto the model must be valid, otherwise that pattern (only) is rejected with its path.
 */
final class RegistrySpecReader implements SpecFormatReader {

    private static final DocumentSchema SCHEMA =
            DocumentSchema.load("formats/loop-engineering-registry.schema.json", SpecVersion.VersionFlag.V202012);
    private static final Pattern ENTRY = Pattern.compile("^\\$\\.patterns\\[(\\d+)](.*)$");

    /** Fields whose value decides what Loopline does; violations of them are errors. */
    private static final Set<String> MAPPED =
            Set.of("id", "cadence", "risk", "week_one_mode", "cost", "tools", "goal", "name");
    /** Fields that must be present for Loopline to make a spec. */
    private static final Set<String> ESSENTIAL = Set.of("id");
    /** Keys newer registries add that Loopline knows and accepts. */
    private static final Set<String> KNOWN_NEWER = Set.of("cost.stable_fraction");
    /** Phase words that mean the pattern changes code. */
    private static final Set<String> ACTING = Set.of("fix", "patch", "act", "apply", "rebase");

    private final String defaultRepo;

    RegistrySpecReader(String defaultRepo) {
        this.defaultRepo = defaultRepo;
    }

    @Override
    public SpecFormat format() {
        return SpecFormat.LOOP_ENGINEERING;
    }

    @Override
    public SpecLoadResult read(Path file, JsonNode doc) {
        String name = file.toString();
        List<SpecProblem> problems = new ArrayList<>();
        List<SpecProblem> warnings = new ArrayList<>();
        JsonNode patterns = doc.get("patterns");
        if (!doc.isObject() || patterns == null || !patterns.isArray()) {
            return SpecLoadResult.problem(
                    new SpecProblem(name, "$.patterns", "a registry must have a 'patterns' list of pattern entries"));
        }
        Map<Integer, List<DocumentSchema.Violation>> byEntry = new LinkedHashMap<>();
        for (DocumentSchema.Violation v : SCHEMA.validate(doc)) {
            Matcher m = ENTRY.matcher(v.path());
            if (m.matches()) {
                byEntry.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new ArrayList<>())
                        .add(v);
            } else if ("additionalProperties".equals(v.keyword())) {
                warnings.add(new SpecProblem(name, v.path(), "not in the published registry schema; ignored"));
            } else {
                problems.add(new SpecProblem(name, v.path(), v.message()));
            }
        }
        ObjectNode allowlist = GatePolicyFile.readBeside(file, problems, warnings);
        String repo = repoFor(file);
        List<LoadedSpec> specs = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            String at = "$.patterns[" + i + "]";
            JsonNode p = patterns.get(i);
            if (!p.isObject()) {
                problems.add(new SpecProblem(name, at, "expected a pattern mapping (id, name, cadence, ...)"));
                continue;
            }
            int errorsBefore = problems.size();
            for (DocumentSchema.Violation v : byEntry.getOrDefault(i, List.of())) {
                String relative = v.path().substring(at.length() + 1);
                classify(name, v, relative, problems, warnings);
            }
            if (problems.size() > errorsBefore) {
                continue;
            }
            LoadedSpec spec = toSpec(file, at, p, allowlist, repo, problems, warnings);
            if (spec != null) {
                specs.add(spec);
            }
        }
        return new SpecLoadResult(specs, problems, warnings);
    }

    private static void classify(
            String file,
            DocumentSchema.Violation v,
            String relative,
            List<SpecProblem> problems,
            List<SpecProblem> warnings) {
        String top = relative.split("[.\\[]", 2)[0];
        switch (v.keyword()) {
            case "additionalProperties" -> warnings.add(new SpecProblem(
                    file,
                    v.path(),
                    KNOWN_NEWER.contains(relative)
                            ? "newer registry field, not in the published schema; accepted and not used"
                            : "not in the published registry schema; ignored"));
            case "required" -> {
                if (ESSENTIAL.contains(relative)) {
                    problems.add(new SpecProblem(file, v.path(), "required: a pattern needs an id"));
                } else if (relative.startsWith("cost.")) {
                    warnings.add(new SpecProblem(
                            file, v.path(), "required by the published schema; Loopline uses its default estimate"));
                } else {
                    warnings.add(new SpecProblem(
                            file, v.path(), "required by the published schema; Loopline does not need it"));
                }
            }
            case "minLength", "minItems", "maxLength" -> warnings.add(new SpecProblem(file, v.path(), v.message()));
            case "enum" -> {
                if ("tools".equals(top) || "token_cost".equals(top)) {
                    warnings.add(new SpecProblem(file, v.path(), v.message() + "; ignored"));
                } else {
                    problems.add(new SpecProblem(file, v.path(), v.message()));
                }
            }
            default -> {
                if (MAPPED.contains(top)) {
                    problems.add(new SpecProblem(file, v.path(), v.message()));
                } else {
                    warnings.add(new SpecProblem(file, v.path(), v.message() + "; the field is not used"));
                }
            }
        }
    }

    private LoadedSpec toSpec(
            Path file,
            String at,
            JsonNode p,
            ObjectNode allowlist,
            String repo,
            List<SpecProblem> problems,
            List<SpecProblem> warnings) {
        String name = file.toString();
        ObjectNode out = Json.mapper().createObjectNode();
        out.set("id", p.get("id"));
        if (p.path("name").isTextual()) {
            out.set("name", p.get("name"));
        }
        out.put("kind", acts(p.path("phases")) ? "assisted-fix" : "report");
        out.put("level", p.path("week_one_mode").asText("L1"));
        if (p.path("cadence").isTextual()) {
            String cadence = p.get("cadence").asText();
            CadenceRange range = CadenceRange.parse(cadence).orElse(null);
            if (range != null && range.writtenLongestFirst()) {
                warnings.add(new SpecProblem(
                        name,
                        at + ".cadence",
                        "range written longest-first ('" + cadence + "'); read as " + range.normalized()));
                cadence = range.normalized();
            }
            out.put("cadence", cadence);
        }
        if (p.path("risk").isTextual()) {
            out.put("priority", priorityFor(p.get("risk").asText()));
        }
        ObjectNode target = out.putObject("target");
        target.put("repo", repo);
        target.put("baseRef", "main");
        if (p.path("goal").isTextual()) {
            out.set("task", p.get("goal"));
        }
        if (containsText(p.path("tools"), "claude-code")) {
            out.putObject("maker").put("type", "claude-code");
        }
        if (allowlist != null) {
            out.set("allowlist", allowlist.deepCopy());
        }
        JsonNode cost = p.get("cost");
        if (cost != null && cost.isObject()) {
            ObjectNode budget = out.putObject("budget");
            copyLong(cost, "tokens_action", budget, "tokensPerRun");
            copyLong(cost, "suggested_daily_cap", budget, "dailyTokens");
            ObjectNode estimates = out.putObject("cost");
            copyLong(cost, "tokens_noop", estimates, "tokensNoop");
            copyLong(cost, "tokens_report", estimates, "tokensReport");
            copyLong(cost, "tokens_action", estimates, "tokensAction");
        }
        Map<String, String> origins = Map.ofEntries(
                Map.entry("$.id", at + ".id"),
                Map.entry("$.name", at + ".name"),
                Map.entry("$.level", at + ".week_one_mode"),
                Map.entry("$.cadence", at + ".cadence"),
                Map.entry("$.task", at + ".goal"),
                Map.entry("$.budget.tokensPerRun", at + ".cost.tokens_action"),
                Map.entry("$.budget.dailyTokens", at + ".cost.suggested_daily_cap"),
                Map.entry("$.cost.tokensNoop", at + ".cost.tokens_noop"),
                Map.entry("$.cost.tokensReport", at + ".cost.tokens_report"),
                Map.entry("$.cost.tokensAction", at + ".cost.tokens_action"),
                Map.entry("$.allowlist", "gate.yaml $"));
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (String kept :
                List.of("risk", "phases", "human_gates", "skills", "tools", "state", "file", "starter", "token_cost")) {
            if (p.hasNonNull(kept)) {
                attributes.put(kept, Json.mapper().convertValue(p.get(kept), Object.class));
            }
        }
        if (cost != null && cost.hasNonNull("early_exit_required")) {
            attributes.put(
                    "early_exit_required", cost.get("early_exit_required").asBoolean());
        }
        return SpecAssembly.assemble(file, SpecFormat.LOOP_ENGINEERING, at, out, origins, attributes, problems);
    }

    /** Lower runs first (Loopline's scheduler order): low-risk loops land their work before riskier ones. */
    static int priorityFor(String risk) {
        return switch (risk) {
            case "low" -> 50;
            case "high" -> 150;
            default -> 100;
        };
    }

    private static boolean acts(JsonNode phases) {
        if (!phases.isArray()) {
            return false;
        }
        for (JsonNode phase : phases) {
            for (String word : phase.asText().toLowerCase(Locale.ROOT).split("[^a-z]+")) {
                if (ACTING.contains(word)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean containsText(JsonNode array, String value) {
        if (array.isArray()) {
            for (JsonNode n : array) {
                if (value.equals(n.asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void copyLong(JsonNode from, String field, ObjectNode to, String as) {
        JsonNode v = from.get(field);
        if (v != null && v.isIntegralNumber()) {
            to.put(as, v.asLong());
        }
    }

    /** A registry has no target: the loop works on the configured default, else the git repo holding it. */
    private String repoFor(Path registry) {
        if (defaultRepo != null) {
            return SpecAssembly.resolveRepo(registry, defaultRepo);
        }
        Path dir = registry.toAbsolutePath().getParent();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.exists(d.resolve(".git"))) {
                return d.toString();
            }
        }
        return dir.toString();
    }
}
