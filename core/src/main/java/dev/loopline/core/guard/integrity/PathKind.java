package dev.loopline.core.guard.integrity;

import java.util.Locale;
import java.util.Set;

/**
 * Classifies repository paths by role: test sources, CI configuration, build configuration,
 * evaluation fixtures, documentation. Only real CI files count as CI ({@code src/circle/Circle.java}
 * and {@code docs/ci-notes.md} do not), and production trees ({@code src/main/}) are never tests.
 */
final class PathKind {

    enum Build {
        NONE,
        MAVEN,
        GRADLE,
        PYTEST,
        TOX,
        NOX,
        JS,
        PACKAGE_JSON,
        CARGO,
        MAKE
    }

    private static final Set<String> TEST_DIRS =
            Set.of("test", "tests", "__tests__", "__test__", "spec", "specs", "e2e", "testsuite", "integration-tests");
    private static final Set<String> DOC_EXTENSIONS = Set.of("md", "markdown", "txt", "adoc", "rst", "html", "htm");
    private static final Set<String> CODE_EXTENSIONS = Set.of(
            "java", "kt", "kts", "groovy", "scala", "cs", "fs", "vb", "swift", "m", "php", "py", "rb", "go", "rs", "js",
            "jsx", "ts", "tsx", "mjs", "cjs", "c", "cc", "cpp", "h", "hpp", "ex", "exs", "dart", "clj", "lua");

    private PathKind() {}

    static String basename(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    static String extension(String path) {
        String base = basename(path);
        int dot = base.lastIndexOf('.');
        return dot <= 0 ? "" : base.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    static boolean isDoc(String path) {
        return path != null && DOC_EXTENSIONS.contains(extension(path));
    }

    static boolean isTest(String path) {
        if (path == null || path.isEmpty()) {
            return false;
        }
        if (path.startsWith("src/main/") || path.contains("/src/main/")) {
            return false;
        }
        String base = basename(path);
        String ext = extension(path);
        if (DOC_EXTENSIONS.contains(ext)) {
            return false;
        }
        int start = 0;
        while (true) {
            int slash = path.indexOf('/', start);
            if (slash < 0) {
                break;
            }
            if (isTestDir(path.substring(start, slash))) {
                return true;
            }
            start = slash + 1;
        }
        return isTestFileName(base, ext);
    }

    private static boolean isTestDir(String segment) {
        String lower = segment.toLowerCase(Locale.ROOT);
        if (TEST_DIRS.contains(lower)) {
            return true;
        }
        // integrationTest, androidTest, unitTests (Gradle source sets); core-tests, api_test.
        return segment.endsWith("Test")
                || segment.endsWith("Tests")
                || lower.endsWith("-test")
                || lower.endsWith("-tests")
                || lower.endsWith("_test")
                || lower.endsWith("_tests");
    }

    private static boolean isTestFileName(String base, String ext) {
        if (base.equals("conftest.py")) {
            return true;
        }
        if (base.contains(".test.") || base.contains(".spec.") || base.contains(".cy.")) {
            return true;
        }
        if (!CODE_EXTENSIONS.contains(ext)) {
            return false;
        }
        String stem = base.substring(0, base.length() - ext.length() - 1);
        switch (ext) {
            case "go":
                return stem.endsWith("_test");
            case "py":
                return stem.startsWith("test_") || stem.endsWith("_test") || stem.endsWith("_tests");
            case "rb":
                return stem.endsWith("_spec") || stem.endsWith("_test");
            case "ex", "exs":
                return stem.endsWith("_test");
            default:
                break;
        }
        if (stem.endsWith("Test")
                || stem.endsWith("Tests")
                || stem.endsWith("TestCase")
                || stem.endsWith("IT")
                || stem.endsWith("_test")) {
            return true;
        }
        if ((ext.equals("groovy") || ext.equals("scala") || ext.equals("kt")) && stem.endsWith("Spec")) {
            return true;
        }
        // JUnit 3 naming: TestParser.java
        return stem.length() > 4 && stem.startsWith("Test") && Character.isUpperCase(stem.charAt(4));
    }

    /** True only for files a CI system actually reads as pipeline configuration. */
    static boolean isCi(String path) {
        if (path == null) {
            return false;
        }
        String base = basename(path);
        String ext = extension(path);
        boolean yaml = ext.equals("yml") || ext.equals("yaml");
        if (path.startsWith(".github/workflows/") && yaml) {
            return true;
        }
        if (path.startsWith(".github/actions/") && (base.equals("action.yml") || base.equals("action.yaml"))) {
            return true;
        }
        if (base.equals(".gitlab-ci.yml")
                || ((path.startsWith(".gitlab/ci/") || path.startsWith(".gitlab-ci/")) && yaml)) {
            return true;
        }
        if (base.equals("Jenkinsfile") || base.startsWith("Jenkinsfile.") || base.endsWith(".jenkinsfile")) {
            return true;
        }
        if (path.startsWith(".circleci/") && yaml) {
            return true;
        }
        if ((base.startsWith("azure-pipelines") && yaml)
                || ((path.startsWith(".azure-pipelines/") || path.startsWith(".azuredevops/")) && yaml)) {
            return true;
        }
        if (path.startsWith(".buildkite/") && yaml) {
            return true;
        }
        return path.equals(".travis.yml")
                || path.equals("bitbucket-pipelines.yml")
                || path.equals(".drone.yml")
                || path.equals("appveyor.yml")
                || path.equals(".appveyor.yml")
                || path.equals(".cirrus.yml")
                || path.equals("cloudbuild.yaml")
                || path.equals("cloudbuild.yml");
    }

    static Build build(String path) {
        if (path == null) {
            return Build.NONE;
        }
        String base = basename(path);
        if (base.equals("pom.xml")) {
            return Build.MAVEN;
        }
        if (base.endsWith(".gradle") || base.endsWith(".gradle.kts") || base.equals("gradle.properties")) {
            return Build.GRADLE;
        }
        if (base.equals("pytest.ini")
                || base.equals("setup.cfg")
                || base.equals("pyproject.toml")
                || base.equals("conftest.py")
                || base.equals(".pytest.ini")) {
            return Build.PYTEST;
        }
        if (base.equals("tox.ini")) {
            return Build.TOX;
        }
        if (base.equals("noxfile.py")) {
            return Build.NOX;
        }
        if (base.equals("package.json")) {
            return Build.PACKAGE_JSON;
        }
        if (base.startsWith("jest.config")
                || base.startsWith("vitest.config")
                || base.startsWith("vitest.workspace")
                || base.startsWith("vite.config")
                || base.startsWith(".mocharc")
                || base.startsWith("karma.conf")
                || base.startsWith("playwright.config")) {
            return Build.JS;
        }
        if (base.equals("Cargo.toml")) {
            return Build.CARGO;
        }
        if (base.equals("Makefile") || base.equals("makefile") || base.equals("GNUmakefile") || base.endsWith(".mk")) {
            return Build.MAKE;
        }
        return Build.NONE;
    }

    /** Golden files, snapshots, expected outputs and evaluation data. */
    static boolean isEvalFixture(String path) {
        if (path == null) {
            return false;
        }
        String lower = path.toLowerCase(Locale.ROOT);
        String base = basename(lower);
        if (lower.contains("golden")
                || lower.contains("__snapshots__/")
                || base.endsWith(".snap")
                || base.endsWith(".ambr")
                || base.endsWith(".expected")
                || base.contains(".approved.")
                || lower.contains("fixtures/expected")
                || lower.contains("expected_output")) {
            return true;
        }
        if (hasSegment(lower, "snapshots") || hasSegment(lower, "expected") || hasSegment(lower, "expectations")) {
            return !CODE_EXTENSIONS.contains(extension(lower)) || isTest(path);
        }
        return hasSegment(lower, "testdata") || hasSegment(lower, "eval") || hasSegment(lower, "evals");
    }

    /**
     * Files a test runner loads around the tests without being tests: jest/vitest setup files, Python's
     * start-up hooks, Ruby spec helpers, JUnit platform configuration and service-loaded extensions.
     */
    static boolean isTestHarness(String path) {
        if (path == null) {
            return false;
        }
        String base = basename(path);
        String lower = base.toLowerCase(Locale.ROOT);
        return lower.startsWith("setuptests")
                || lower.startsWith("setup-tests")
                || lower.startsWith("setup_tests")
                || lower.startsWith("jest.setup")
                || lower.startsWith("jest-setup")
                || lower.startsWith("vitest.setup")
                || lower.startsWith("vitest-setup")
                || lower.startsWith("test-setup")
                || lower.startsWith("test.setup")
                || lower.startsWith("test_setup")
                || lower.startsWith("globalsetup")
                || lower.startsWith("global-setup")
                || lower.startsWith("globalteardown")
                || lower.startsWith("global-teardown")
                || lower.equals("sitecustomize.py")
                || lower.equals("usercustomize.py")
                || lower.endsWith(".pth")
                || lower.equals("spec_helper.rb")
                || lower.equals("rails_helper.rb")
                || lower.equals("test_helper.rb")
                || lower.equals("junit-platform.properties")
                || path.contains("META-INF/services/org.junit")
                || path.contains("META-INF/services/org.testng");
    }

    /**
     * Whether the default pattern of the language's usual test runner collects this file (Surefire/Failsafe
     * class names, pytest/unittest module names, go test, jest/vitest/mocha, RSpec/Minitest, cargo, ExUnit).
     * A file that stops matching stops running, whatever directory it sits in.
     */
    static boolean isRunnerCollected(String path) {
        if (path == null || path.isEmpty() || path.startsWith("src/main/") || path.contains("/src/main/")) {
            return false;
        }
        String base = basename(path);
        String ext = extension(path);
        if (!CODE_EXTENSIONS.contains(ext) || ext.length() + 1 >= base.length()) {
            return false;
        }
        String stem = base.substring(0, base.length() - ext.length() - 1);
        switch (ext) {
            case "java", "kt", "scala", "groovy" -> {
                return stem.endsWith("Test")
                        || stem.endsWith("Tests")
                        || stem.endsWith("TestCase")
                        || stem.endsWith("IT")
                        || stem.endsWith("ITCase")
                        || stem.endsWith("Spec")
                        || (stem.length() > 4 && stem.startsWith("Test") && Character.isUpperCase(stem.charAt(4)))
                        || (stem.length() > 2 && stem.startsWith("IT") && Character.isUpperCase(stem.charAt(2)));
            }
            case "py" -> {
                return stem.startsWith("test") || stem.endsWith("_test") || stem.endsWith("_tests");
            }
            case "go" -> {
                return stem.endsWith("_test");
            }
            case "rb" -> {
                return stem.endsWith("_spec") || stem.endsWith("_test") || stem.startsWith("test_");
            }
            case "rs" -> {
                return true; // unit tests live in any crate source; integration tests in tests/*.rs
            }
            case "ex", "exs" -> {
                return stem.endsWith("_test");
            }
            case "js", "jsx", "ts", "tsx", "mjs", "cjs" -> {
                String lower = path.toLowerCase(Locale.ROOT);
                return base.contains(".test.")
                        || base.contains(".spec.")
                        || base.contains(".cy.")
                        || hasSegment(lower, "__tests__")
                        || hasSegment(lower, "test")
                        || hasSegment(lower, "tests");
            }
            case "cs", "php", "swift" -> {
                return stem.endsWith("Test") || stem.endsWith("Tests");
            }
            default -> {
                return isTestFileName(base, ext);
            }
        }
    }

    /** Whether the path is in a directory the test runners treat as a test root ({@code tests/}, {@code src/test/}). */
    static boolean inTestDir(String path) {
        if (path == null || path.startsWith("src/main/") || path.contains("/src/main/")) {
            return false;
        }
        int start = 0;
        while (true) {
            int slash = path.indexOf('/', start);
            if (slash < 0) {
                return false;
            }
            if (isTestDir(path.substring(start, slash))) {
                return true;
            }
            start = slash + 1;
        }
    }

    /** Configuration that may hold coverage gates: INI/TOML/YAML/properties files, dotfiles, {@code *rc} files. */
    static boolean isConfig(String path) {
        if (path == null) {
            return false;
        }
        String base = basename(path).toLowerCase(Locale.ROOT);
        if (base.endsWith("ignore")) {
            return false; // .gitignore, .dockerignore: which files exist, not how they are measured
        }
        return switch (extension(path)) {
            case "cfg", "ini", "toml", "yml", "yaml", "properties", "conf" -> true;
            case "json", "js", "cjs", "mjs", "ts" -> base.startsWith(".")
                    || base.contains("rc.")
                    || base.contains("config");
            case "" -> base.startsWith(".") || base.equals("makefile") || base.endsWith("rc");
            default -> base.startsWith(".") && base.contains("rc");
        };
    }

    static boolean isCode(String path) {
        return path != null && CODE_EXTENSIONS.contains(extension(path));
    }

    /**
     * Product source: code, templates or styles outside tests, harness, build and CI configuration. A change
     * to such a file is what legitimately moves expected outputs.
     */
    static boolean isProductSource(String path) {
        if (path == null || isTest(path) || isTestHarness(path) || isCi(path) || build(path) != Build.NONE) {
            return false;
        }
        String ext = extension(path);
        return CODE_EXTENSIONS.contains(ext) || RENDERED_EXTENSIONS.contains(ext);
    }

    /** Unit tests of a build tool's own configuration-in-code would be here; Build files are never product. */
    private static final Set<String> RENDERED_EXTENSIONS = Set.of(
            "vue",
            "svelte",
            "css",
            "scss",
            "sass",
            "less",
            "erb",
            "hbs",
            "mustache",
            "jinja",
            "j2",
            "tmpl",
            "tpl",
            "ejs",
            "pug",
            "sql",
            "proto",
            "graphql",
            "xsl",
            "xslt",
            "jsp",
            "razor",
            "cshtml",
            "liquid",
            "twig");

    /** Compiled or packaged code: it runs, but its text cannot be reviewed. */
    static boolean isCompiledCode(String path) {
        return switch (extension(path)) {
            case "pyc",
                    "pyo",
                    "class",
                    "jar",
                    "war",
                    "so",
                    "dll",
                    "dylib",
                    "exe",
                    "wasm",
                    "node",
                    "whl",
                    "egg",
                    "a",
                    "o",
                    "pyd",
                    "bin" -> true;
            default -> false;
        };
    }

    private static boolean hasSegment(String lowerPath, String dir) {
        int n = dir.length();
        int i = lowerPath.indexOf(dir);
        while (i >= 0) {
            boolean startsSegment = i == 0 || lowerPath.charAt(i - 1) == '/';
            if (startsSegment && i + n < lowerPath.length() && lowerPath.charAt(i + n) == '/') {
                return true;
            }
            i = lowerPath.indexOf(dir, i + 1);
        }
        return false;
    }
}
