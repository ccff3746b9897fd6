package dev.loopline.core.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.loopline.schemas.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one spec file of any supported format: parses it, detects the format from the file name and
 * content, and hands it to that format's reader.
 *
 * <ul>
 *   <li>{@link SpecFormat#LOOP_ENGINEERING}: a mapping with a {@code patterns} list, or a file named
 *       {@code registry.yaml}/{@code registry.yml};
 *   <li>{@link SpecFormat#STRIVE}: a {@code *.json} mapping with {@code phase}, or with {@code kind:
 *       git-commit-triage};
 *   <li>{@link SpecFormat#NATIVE}: anything else ({@code loopline.yaml}, {@code *.yaml}, {@code *.json}).
 * </ul>
 */
public final class SpecReaders {

    private static final ObjectMapper YAML = Json.configure(new ObjectMapper(new YAMLFactory()));

    private final Map<SpecFormat, SpecFormatReader> readers;

    public SpecReaders() {
        this(null);
    }

    /**
     * @param defaultRepo the repository loop-engineering patterns work on (they name none); {@code null}
     *     means the git repository containing the registry, else the registry's directory
     */
    public SpecReaders(String defaultRepo) {
        readers = Map.of(
                SpecFormat.NATIVE, new NativeSpecReader(),
                SpecFormat.LOOP_ENGINEERING, new RegistrySpecReader(defaultRepo),
                SpecFormat.STRIVE, new StriveSpecReader());
    }

    /** Reads every spec in {@code file}. Never throws for bad content. */
    public SpecLoadResult read(Path file) {
        String name = file.toString();
        if (isCompanion(file)) {
            return SpecLoadResult.problem(new SpecProblem(
                    name,
                    "$",
                    "a gate policy is read together with the registry.yaml beside it; validate that registry"));
        }
        JsonNode doc;
        try {
            doc = parse(file);
        } catch (UnreadableException e) {
            return SpecLoadResult.problem(new SpecProblem(name, e.field(), e.getMessage()));
        }
        if (doc == null || doc.isMissingNode() || doc.isNull()) {
            return SpecLoadResult.problem(new SpecProblem(name, "$", "empty file: expected a loop spec"));
        }
        return readers.get(detect(file, doc)).read(file, doc);
    }

    /**
     * Reads a file found by a directory scan: like {@link #read}, except that a file that is plainly not a loop spec
     * (a JSON Schema, a {@code package.json}, any mapping with no loop id) is skipped, not reported as a broken loop.
     * A file named as a spec ({@code loopline.yaml}, {@code *.loop.json}, a registry) and a file that cannot be parsed
     * are always read, so their problems are reported.
     */
    public SpecLoadResult readListed(Path file) {
        if (namedAsSpec(file)) {
            return read(file);
        }
        JsonNode doc;
        try {
            doc = parse(file);
        } catch (UnreadableException e) {
            return read(file);
        }
        return isSpecDocument(file, doc) ? read(file) : SpecLoadResult.empty();
    }

    /** Whether a parsed file holds loops: a registry, a Strive spec, or a mapping with an id that is no JSON Schema. */
    static boolean isSpecDocument(Path file, JsonNode doc) {
        if (doc == null || !doc.isObject() || isJsonSchema(file, doc)) {
            return false;
        }
        return detect(file, doc) != SpecFormat.NATIVE || doc.has("id");
    }

    private static boolean isJsonSchema(Path file, JsonNode doc) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".schema.json") || n.endsWith(".schema.yaml") || doc.has("$schema");
    }

    private static boolean namedAsSpec(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.equals("loopline.yaml")
                || n.equals("loopline.yml")
                || n.equals("registry.yaml")
                || n.equals("registry.yml")
                || n.endsWith(".loop.json")
                || n.endsWith(".loop.yaml")
                || n.endsWith(".loop.yml");
    }

    /** The format of a parsed file. */
    public static SpecFormat detect(Path file, JsonNode doc) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.equals("registry.yaml") || n.equals("registry.yml") || (doc.isObject() && doc.has("patterns"))) {
            return SpecFormat.LOOP_ENGINEERING;
        }
        if (n.endsWith(".json")
                && doc.isObject()
                && (doc.has("phase")
                        || "git-commit-triage".equals(doc.path("kind").asText()))) {
            return SpecFormat.STRIVE;
        }
        return SpecFormat.NATIVE;
    }

    /** Whether a directory scan should look at this file. */
    public static boolean isSpecFile(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p)
                && (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json"))
                && !isCompanion(p);
    }

    /** A gate policy file: part of the registry beside it, not a spec of its own. */
    static boolean isCompanion(Path p) {
        return GatePolicyFile.FILE_NAMES.contains(p.getFileName().toString().toLowerCase(Locale.ROOT));
    }

    static JsonNode parse(Path file) throws UnreadableException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UnreadableException("", "cannot read file: " + e.getMessage());
        }
        try {
            return YAML.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : "line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            throw new UnreadableException(where, "not valid YAML/JSON: " + e.getOriginalMessage());
        }
    }

    /** The file could not be parsed; {@link #field()} is where (a line and column when known). */
    static final class UnreadableException extends Exception {
        private final String field;

        UnreadableException(String field, String message) {
            super(message);
            this.field = field;
        }

        String field() {
            return field;
        }
    }
}
