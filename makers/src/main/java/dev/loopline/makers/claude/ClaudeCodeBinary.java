package dev.loopline.makers.claude;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the Claude Code CLI is. {@code ./loopline} installs the pinned npm package into {@code .tools/claude-code}
 * of the project and the CLI is the native binary of its platform package (npm may skip the package's postinstall,
 * so the binary is called directly).
 */
public final class ClaudeCodeBinary {

    /** The version {@code ./loopline} installs. */
    public static final String VERSION = "2.1.332";

    public static final String PROJECT_DIR = ".tools/claude-code";

    /** What to do when the CLI is missing: said by the maker's error and by its tests. */
    public static final String NOT_INSTALLED = "the Claude Code CLI " + VERSION + " is not installed: ./loopline test"
            + " and ./loopline up install it into " + PROJECT_DIR + " (npm), or set loopline.agent.claude-code.binary";

    private ClaudeCodeBinary() {}

    /**
     * @param configured {@code loopline.agent.claude-code.binary}: a path, or a name looked up on the PATH
     * @return the executable, or empty when there is none
     */
    public static Optional<Path> locate(Optional<String> configured) {
        if (configured.isPresent()) {
            return executable(configured.get());
        }
        Optional<Path> local = projectLocal(Path.of("").toAbsolutePath());
        return local.isPresent() ? local : executable("claude");
    }

    /** The project-local install in {@code dir} or the nearest parent that has one. */
    public static Optional<Path> projectLocal(Path dir) {
        String relative = PROJECT_DIR + "/node_modules/@anthropic-ai/claude-code-" + platform() + "/claude";
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolve(relative);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> executable(String name) {
        if (name.indexOf('/') >= 0) {
            Path path = Path.of(name).toAbsolutePath();
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Optional.of(Path.of(dir, name));
            }
        }
        return Optional.empty();
    }

    /** The npm platform suffix: {@code linux-x64}, {@code linux-arm64}. */
    public static String platform() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return "linux-" + (arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "x64");
    }
}
