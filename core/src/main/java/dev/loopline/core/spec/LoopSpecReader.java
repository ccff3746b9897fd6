package dev.loopline.core.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.loopline.schemas.json.Json;
import dev.loopline.schemas.json.SchemaValidator;
import dev.loopline.schemas.spec.LoopSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads native {@code loopline.yaml} specs (YAML or JSON). Every file is validated against the loop-spec
 * schema; problems name the file and the field. One invalid file never hides the valid ones.
 */
public final class LoopSpecReader {

    private static final ObjectMapper YAML = Json.configure(new ObjectMapper(new YAMLFactory()));

    /** Reads every {@code *.yaml}, {@code *.yml} and {@code *.json} spec directly inside {@code dir}. */
    public SpecLoadResult readDirectory(Path dir) {
        List<LoadedSpec> specs = new ArrayList<>();
        List<SpecProblem> problems = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            problems.add(new SpecProblem(dir.toString(), "", "spec directory does not exist"));
            return new SpecLoadResult(specs, problems);
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(LoopSpecReader::isSpecFile).sorted().toList();
        } catch (IOException e) {
            problems.add(new SpecProblem(dir.toString(), "", "cannot list directory: " + e.getMessage()));
            return new SpecLoadResult(specs, problems);
        }
        Map<String, Path> seenIds = new HashMap<>();
        for (Path file : files) {
            List<SpecProblem> fileProblems = new ArrayList<>();
            LoadedSpec loaded = read(file, fileProblems);
            if (loaded != null) {
                Path previous = seenIds.putIfAbsent(loaded.spec().id(), file);
                if (previous != null) {
                    fileProblems.add(new SpecProblem(
                            file.toString(),
                            "$.id",
                            "duplicate loop id '" + loaded.spec().id() + "', already defined in " + previous));
                    loaded = null;
                }
            }
            if (loaded != null) {
                specs.add(loaded);
            }
            problems.addAll(fileProblems);
        }
        return new SpecLoadResult(specs, problems);
    }

    /** Reads one file; on failure returns {@code null} and adds the problems. */
    public LoadedSpec read(Path file, List<SpecProblem> problems) {
        String name = file.toString();
        JsonNode node;
        try {
            node = YAML.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : "line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            problems.add(new SpecProblem(name, where, "not valid YAML/JSON: " + e.getOriginalMessage()));
            return null;
        } catch (IOException e) {
            problems.add(new SpecProblem(name, "", "cannot read file: " + e.getMessage()));
            return null;
        }
        if (node == null || !node.isObject()) {
            problems.add(
                    new SpecProblem(name, "$", "a loop spec must be a mapping with at least id, kind, level, target"));
            return null;
        }
        List<String> violations = SchemaValidator.get().validate(SchemaValidator.LOOP_SPEC, node);
        if (!violations.isEmpty()) {
            violations.forEach(v -> problems.add(toProblem(name, v)));
            return null;
        }
        LoopSpec spec;
        try {
            spec = Json.mapper().treeToValue(node, LoopSpec.class);
        } catch (JsonProcessingException | RuntimeException e) {
            problems.add(new SpecProblem(name, "$", "cannot read spec: " + e.getMessage()));
            return null;
        }
        spec = spec.withTarget(new LoopSpec.Target(
                resolveRepo(file, spec.target().repo()), spec.target().baseRefOrDefault()));
        return new LoadedSpec(spec, file, hash(spec));
    }

    /** SHA-256 of the spec's canonical JSON: two specs with the same content have the same hash. */
    public static String hash(LoopSpec spec) {
        try {
            byte[] canonical = Json.mapper().writeValueAsBytes(spec);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash spec " + spec.id(), e);
        }
    }

    private static String resolveRepo(Path specFile, String repo) {
        if (repo.contains("://") || repo.startsWith("git@") || Path.of(repo).isAbsolute()) {
            return repo;
        }
        Path base = specFile.toAbsolutePath().getParent();
        return base.resolve(repo).normalize().toString();
    }

    private static SpecProblem toProblem(String file, String violation) {
        int colon = violation.indexOf(": ");
        if (violation.startsWith("$") && colon > 0) {
            return new SpecProblem(file, violation.substring(0, colon), violation.substring(colon + 2));
        }
        return new SpecProblem(file, "$", violation);
    }

    private static boolean isSpecFile(Path p) {
        String n = p.getFileName().toString();
        return Files.isRegularFile(p) && (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json"));
    }
}
