package dev.loopline.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.loopline.core.policy.AllowlistPolicy;
import dev.loopline.core.policy.DefaultDenyGroup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The policy file of {@code check-allowlist}: JSON, or YAML. Loopline's keys, the earlier tool's snake-case keys
 * and a loop-engineering {@code gate.yaml} are all read; a key outside those, a key given twice under two of
 * its names, or a value of the wrong type is an error, because a typo in a deny list must not silently widen
 * what merges unattended.
 */
final class AllowlistPolicyFile {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    /** Each setting under every name it is known by: Loopline's, the earlier tool's, loop-engineering's. */
    private enum Setting {
        ALLOW("allow", "allow_globs", "autoMergeAllowlist"),
        DENY("deny", "deny_globs", "denylist"),
        MAX_FILES("maxFiles", "max_files"),
        MAX_LINES("maxLines", "max_lines"),
        CASE_INSENSITIVE("caseInsensitive"),
        REMOVE_DEFAULT_DENY("removeDefaultDeny"),
        /** gate.yaml's format version; nothing depends on it. */
        VERSION("version");

        private final List<String> names;

        Setting(String... names) {
            this.names = List.of(names);
        }

        static Setting byName(String key) {
            for (Setting s : values()) {
                if (s.names.contains(key)) {
                    return s;
                }
            }
            return null;
        }

        static String allNames() {
            return Arrays.stream(values()).flatMap(s -> s.names.stream()).collect(Collectors.joining(", "));
        }
    }

    private AllowlistPolicyFile() {}

    static AllowlistPolicy read(String source) {
        Path path = Inputs.regularFile(source, "policy");
        JsonNode doc;
        boolean json = path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        try {
            doc = (json ? JSON : YAML).readTree(path.toFile());
        } catch (IOException e) {
            throw new UsageException(source + " is not valid " + (json ? "JSON" : "YAML") + ": " + firstLine(e));
        }
        if (doc == null || doc.isMissingNode() || doc.isNull()) {
            throw new UsageException(source + " is empty; a policy needs at least an allow list ("
                    + "allow, allow_globs or autoMergeAllowlist)");
        }
        if (!doc.isObject()) {
            throw new UsageException(source + " must be a mapping of policy keys (" + Setting.allNames() + ")");
        }
        Map<Setting, JsonNode> values = new EnumMap<>(Setting.class);
        Map<Setting, String> keys = new EnumMap<>(Setting.class);
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Setting s = Setting.byName(e.getKey());
            if (s == null) {
                throw new UsageException(
                        source + ": unknown key '" + e.getKey() + "'; known keys: " + Setting.allNames());
            }
            if (keys.containsKey(s)) {
                throw new UsageException(
                        source + ": '" + keys.get(s) + "' and '" + e.getKey() + "' set the same thing; keep one");
            }
            keys.put(s, e.getKey());
            values.put(s, e.getValue());
        }
        AllowlistPolicy.Builder b = AllowlistPolicy.builder();
        try {
            if (values.containsKey(Setting.ALLOW)) {
                b.allow(strings(source, keys.get(Setting.ALLOW), values.get(Setting.ALLOW)));
            }
            if (values.containsKey(Setting.DENY)) {
                b.deny(strings(source, keys.get(Setting.DENY), values.get(Setting.DENY)));
            }
            if (values.containsKey(Setting.MAX_FILES)) {
                b.maxFiles(positive(source, keys.get(Setting.MAX_FILES), values.get(Setting.MAX_FILES)));
            }
            if (values.containsKey(Setting.MAX_LINES)) {
                b.maxLines(positive(source, keys.get(Setting.MAX_LINES), values.get(Setting.MAX_LINES)));
            }
            if (values.containsKey(Setting.CASE_INSENSITIVE)) {
                JsonNode v = values.get(Setting.CASE_INSENSITIVE);
                if (!v.isBoolean()) {
                    throw new UsageException(source + ": caseInsensitive must be true or false");
                }
                b.caseInsensitive(v.booleanValue());
            }
            if (values.containsKey(Setting.REMOVE_DEFAULT_DENY)) {
                b.removeDefaultDeny(strings(source, "removeDefaultDeny", values.get(Setting.REMOVE_DEFAULT_DENY)));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            // an unknown default deny group or a glob that does not compile
            String hint = e.getMessage().startsWith("unknown default deny group")
                    ? "; groups: "
                            + Arrays.stream(DefaultDenyGroup.values())
                                    .map(DefaultDenyGroup::groupName)
                                    .collect(Collectors.joining(", "))
                    : "";
            throw new UsageException(source + ": " + e.getMessage() + hint);
        }
    }

    private static List<String> strings(String source, String key, JsonNode v) {
        if (!v.isArray()) {
            throw new UsageException(source + ": '" + key + "' must be a list of strings");
        }
        List<String> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (!item.isTextual() || item.asText().isBlank()) {
                throw new UsageException(source + ": '" + key + "[" + i + "]' must be a non-empty string");
            }
            out.add(item.asText());
        }
        return out;
    }

    private static int positive(String source, String key, JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1) {
            throw new UsageException(source + ": '" + key + "' must be a whole number of at least 1, was " + v);
        }
        return v.intValue();
    }

    private static String firstLine(IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int dup = m.indexOf(" for `ObjectNode`");
        if (m.startsWith("Duplicate field") && dup > 0) {
            return m.substring(0, dup) + "; keep one";
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
