package dev.loopline.core.guard.harness;

import dev.loopline.core.policy.DefaultDenyGroup;
import dev.loopline.core.policy.Glob;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Files pinned by their name alone, whatever the test command: loop specs, CI definitions, build and test
 * configuration, snapshot and golden files. Matching is case-insensitive: on a case-insensitive file system a
 * maker could otherwise slip {@code MAKEFILE} past a rule for {@code Makefile}.
 */
final class PinnedNames {

    /** A glob and why the files it matches are pinned. */
    private record Rule(Glob glob, String ruleId, String role) {}

    private static final List<Rule> RULES = new ArrayList<>();

    static {
        loopSpec(
                "**/loopline.yaml",
                "**/loopline.yml",
                "**/*.loopline.yaml",
                "**/*.loopline.yml",
                "**/registry.yaml",
                "**/registry.yml",
                "**/gate.yaml",
                "**/gate.yml",
                "**/loop.json",
                "**/LOOP.md",
                ".loopline/**",
                "**/.loopline/**");
        harness("a CI definition", DefaultDenyGroup.CI.globs().toArray(String[]::new));
        harness(
                "a CI definition",
                ".github/actions/**",
                "**/appveyor.yml",
                ".woodpecker.yml",
                ".woodpecker/**",
                ".cirrus.yml",
                ".pre-commit-config.yaml",
                "**/codecov.yml",
                "**/.codecov.yml");
        harness(
                "build configuration that runs the tests",
                "**/Makefile",
                "**/GNUmakefile",
                "**/*.mk",
                "**/justfile",
                "**/.justfile",
                "**/Taskfile.yml",
                "**/Taskfile.yaml",
                "**/pom.xml",
                ".mvn/**",
                "**/mvnw",
                "**/mvnw.cmd",
                "**/build.gradle",
                "**/build.gradle.kts",
                "**/settings.gradle",
                "**/settings.gradle.kts",
                "**/gradle.properties",
                "**/gradlew",
                "**/gradlew.bat",
                "gradle/**",
                "**/build.xml",
                "**/build.sbt",
                "**/Rakefile");
        harness(
                "test runner configuration",
                "**/pytest.ini",
                "**/tox.ini",
                "**/noxfile.py",
                "**/conftest.py",
                "**/.coveragerc",
                "**/.nycrc",
                "**/.nycrc.*",
                "**/.c8rc",
                "**/.c8rc.*",
                "**/.mocharc",
                "**/.mocharc.*",
                "**/jest.config.*",
                "**/jest.setup.*",
                "**/jest-setup.*",
                "**/setupTests.*",
                "**/vitest.config.*",
                "**/vitest.workspace.*",
                "**/vitest.setup.*",
                "**/karma.conf.*",
                "**/playwright.config.*",
                "**/cypress.config.*",
                "**/phpunit.xml",
                "**/phpunit.xml.dist",
                "**/.rspec",
                "**/spec_helper.rb",
                "**/rails_helper.rb",
                "**/test_helper.rb",
                "**/junit-platform.properties",
                "**/.runsettings",
                "**/*.runsettings");
        harness(
                "a snapshot or golden file the tests compare against",
                "**/__snapshots__/**",
                "**/*.snap",
                "**/*.golden",
                "**/golden/**",
                "**/goldens/**",
                "**/__golden__/**",
                "**/*.approved.*",
                "**/*.expected",
                "**/expected_output/**");
    }

    private PinnedNames() {}

    private static void loopSpec(String... globs) {
        for (String g : globs) {
            RULES.add(new Rule(
                    Glob.compile(g, true),
                    HarnessFinding.LOOP_SPEC_CHANGED,
                    "a loop spec or Loopline configuration; no loop may change any loop's spec"));
        }
    }

    private static void harness(String role, String... globs) {
        for (String g : globs) {
            RULES.add(new Rule(Glob.compile(g, true), HarnessFinding.HARNESS_CHANGED, role));
        }
    }

    /** The pin on {@code path} by name, if any. */
    static Optional<Pin> of(String path) {
        for (Rule rule : RULES) {
            if (rule.glob().matches(path)) {
                return Optional.of(new Pin(rule.ruleId(), rule.role()));
            }
        }
        return Optional.empty();
    }

    /** Why a file is pinned: the finding's rule and a description for people. */
    record Pin(String ruleId, String role) {}
}
