package dev.loopline.core.guard.harness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Set;

/**
 * A loop spec told by its content, whatever the file is called: a scheduler may read specs from any
 * {@code *.yaml} of a spec directory in the very repository a loop changes, so a name list alone would let a maker
 * rewrite {@code loops/nightly.yaml}. The shapes are those the spec readers detect: a native spec (an {@code id}
 * and a {@code level} with a {@code kind}, {@code target} or {@code maker}), a loop-engineering registry
 * ({@code patterns}), a Strive loop ({@code phase}).
 */
final class SpecContent {

    private static final Set<String> EXTENSIONS = Set.of("yaml", "yml", "json");
    /** A file larger than this is not read as a spec: no spec is that large, and parsing it would cost. */
    static final int MAX_CHARS = 256 * 1024;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private SpecContent() {}

    static boolean mayBeSpec(String path) {
        return EXTENSIONS.contains(RepoPath.extension(path));
    }

    static boolean isSpec(String text) {
        if (text == null || text.length() > MAX_CHARS || text.isBlank()) {
            return false;
        }
        JsonNode doc;
        try {
            doc = YAML.readTree(text);
        } catch (JsonProcessingException | RuntimeException e) {
            return false; // not YAML or JSON at all, so no spec reader would load it either
        }
        if (doc == null || !doc.isObject()) {
            return false;
        }
        if (doc.path("patterns").isArray() || doc.has("phase")) {
            return true;
        }
        return doc.has("id") && doc.has("level") && (doc.has("kind") || doc.has("target") || doc.has("maker"));
    }
}
