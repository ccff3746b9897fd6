package dev.loopline.core.guard.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Shared manifests whose test parts are pinned and the rest is not: a dependency bump in {@code package.json}
 * or {@code pyproject.toml} is an ordinary change, while an edit to their test scripts or test and coverage
 * sections is a harness change.
 */
final class ConfigSections {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Top-level keys of package.json that decide how tests run and what they count. */
    private static final List<String> PACKAGE_JSON_KEYS =
            List.of("scripts", "jest", "mocha", "ava", "nyc", "c8", "vitest", "jest-junit", "tap", "jasmine");

    private static final List<String> PYPROJECT_SECTIONS = List.of(
            "tool.pytest", "tool.coverage", "tool.tox", "tool.nox", "tool.hatch.envs", "tool.poe", "tool.pdm.scripts");
    private static final List<String> SETUP_CFG_SECTIONS =
            List.of("tool:pytest", "pytest", "coverage", "aliases", "tox");
    private static final List<String> CARGO_SECTIONS = List.of("test", "lib", "profile.test");

    private ConfigSections() {}

    /** Whether {@code path} is a manifest read section by section. */
    static boolean handles(String path) {
        return role(path) != null;
    }

    static String role(String path) {
        return switch (RepoPath.basename(path).toLowerCase(Locale.ROOT)) {
            case "package.json" -> "the test scripts and test configuration of package.json";
            case "pyproject.toml" -> "the test and coverage sections of pyproject.toml";
            case "setup.cfg" -> "the test and coverage sections of setup.cfg";
            case "cargo.toml" -> "the test targets of Cargo.toml";
            default -> null;
        };
    }

    /**
     * Whether the pinned parts differ between two versions (empty = the file does not exist there). A version
     * that cannot be read as its format counts as changed: what cannot be read cannot be shown to be the same.
     */
    static boolean pinnedPartsDiffer(String path, Optional<String> before, Optional<String> after) {
        Optional<String> a = pinnedParts(path, before);
        Optional<String> b = pinnedParts(path, after);
        return a.isEmpty() || b.isEmpty() || !a.get().equals(b.get());
    }

    /** The pinned parts as comparable text; empty when the text cannot be read as the manifest's format. */
    private static Optional<String> pinnedParts(String path, Optional<String> text) {
        if (text.isEmpty()) {
            return Optional.of("");
        }
        return switch (RepoPath.basename(path).toLowerCase(Locale.ROOT)) {
            case "package.json" -> packageJson(text.get());
            case "pyproject.toml" -> Optional.of(iniSections(text.get(), PYPROJECT_SECTIONS));
            case "setup.cfg" -> Optional.of(iniSections(text.get(), SETUP_CFG_SECTIONS));
            case "cargo.toml" -> Optional.of(iniSections(text.get(), CARGO_SECTIONS));
            default -> Optional.of(text.get());
        };
    }

    private static Optional<String> packageJson(String text) {
        try {
            JsonNode root = JSON.readTree(text);
            if (root == null || !root.isObject()) {
                return Optional.empty();
            }
            StringBuilder out = new StringBuilder();
            for (String key : PACKAGE_JSON_KEYS) {
                JsonNode value = root.get(key);
                if (value != null) {
                    // JsonNode's string form is canonical for equal trees, so formatting changes do not count
                    out.append(key).append('=').append(value).append('\n');
                }
            }
            return Optional.of(out.toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The lines of every {@code [section]} that is or lies under one of {@code sections} (TOML and INI alike),
     * with blank lines and comment lines dropped and each line stripped.
     */
    static String iniSections(String text, List<String> sections) {
        StringBuilder out = new StringBuilder();
        boolean inside = false;
        for (String raw : text.split("\n", -1)) {
            String line = raw.strip();
            if (line.startsWith("[")) {
                String name = line.replace("[", "")
                        .replace("]", "")
                        .replace("\"", "")
                        .strip()
                        .toLowerCase(Locale.ROOT);
                inside = sections.stream().anyMatch(section -> isSection(name, section));
                if (inside) {
                    out.append('[').append(name).append("]\n");
                }
                continue;
            }
            if (inside && !line.isEmpty() && !line.startsWith("#") && !line.startsWith(";")) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    /** {@code tool.pytest.ini_options} and {@code coverage:run} are in {@code tool.pytest} and {@code coverage}. */
    private static boolean isSection(String name, String section) {
        return name.equals(section)
                || (name.startsWith(section)
                        && (name.charAt(section.length()) == '.' || name.charAt(section.length()) == ':'));
    }
}
