package dev.loopline.core.guard.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopline.core.guard.command.ShellScript;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The files a test command runs, found the way the shell would run it: the script a shell or interpreter is
 * handed ({@code sh test.sh}, {@code python run_tests.py}), a script run by its path ({@code ./ci/test}), the
 * package-manager script a {@code npm test} stands for, the configuration file named by a flag
 * ({@code pytest -c ci/pytest.ini}), and recursively the shell scripts those scripts run, read from the base
 * tree. Only shell scripts are followed further: a test script's {@code node src/app.js} runs the product, not
 * the harness.
 */
final class TestCommandScripts {

    static final int MAX_DEPTH = 4;
    static final int MAX_SCRIPTS = 64;

    private static final Set<String> SHELLS = Set.of("sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "busybox");
    private static final Set<String> SOURCE = Set.of(".", "source");
    private static final Set<String> INTERPRETERS = Set.of(
            "python", "python2", "python3", "pypy", "pypy3", "node", "nodejs", "deno", "bun", "tsx", "ts-node", "ruby",
            "perl", "php", "lua", "rscript", "groovy", "jshell", "bats");
    private static final Set<String> PACKAGE_MANAGERS = Set.of("npm", "yarn", "pnpm");
    /** Commands that run the rest of their words as a command. */
    private static final Set<String> WRAPPERS = Set.of(
            "env",
            "command",
            "exec",
            "time",
            "nice",
            "nohup",
            "stdbuf",
            "ionice",
            "xvfb-run",
            "timeout",
            "setsid",
            "chronic",
            "unbuffer",
            "npx",
            "bunx",
            "pnpx");
    /** Options of a wrapper that take the next word as their value ({@code nice -n 5}, {@code env -u HOME}). */
    private static final Map<String, Set<String>> WRAPPER_VALUE_OPTIONS = Map.of(
            "nice", Set.of("-n", "--adjustment"),
            "timeout", Set.of("-s", "--signal", "-k", "--kill-after"),
            "env", Set.of("-u", "--unset", "-C", "--chdir", "-S", "--split-string"),
            "stdbuf", Set.of("-i", "-o", "-e"),
            "ionice", Set.of("-c", "-n", "-p", "-t"),
            "xvfb-run", Set.of("-n", "-s", "-f", "-e", "-p", "-w"),
            "npx", Set.of("-p", "--package", "-c"));
    /** Runners that take a sub-verb before the command ({@code uv run pytest}, {@code bundle exec rspec}). */
    private static final Map<String, Set<String>> SUB_VERB_WRAPPERS = Map.of(
            "uv", Set.of("run"),
            "poetry", Set.of("run"),
            "pipenv", Set.of("run"),
            "pdm", Set.of("run"),
            "hatch", Set.of("run"),
            "bundle", Set.of("exec"),
            "dotenv", Set.of("--"));

    private static final Set<String> CONFIG_FLAGS = Set.of(
            "-c",
            "--config",
            "--config-file",
            "--rcfile",
            "--settings",
            "-f",
            "--file",
            "--makefile",
            "-p",
            "--project",
            "--init-file",
            "--setup-file",
            "--setupFiles",
            "-C",
            "--confcutdir");
    private static final Set<String> CONFIG_EXTENSIONS = Set.of(
            "ini", "cfg", "toml", "json", "yaml", "yml", "xml", "conf", "mk", "properties", "js", "cjs", "mjs", "ts");
    private static final Set<String> SHELL_EXTENSIONS = Set.of("sh", "bash", "zsh", "ksh", "dash", "bats");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Tree base;
    /** Pinned path → why. */
    private final Map<String, String> pinned = new LinkedHashMap<>();

    /**
     * A command text still to read. {@code direct}: the text is the test command itself or stands for it (a
     * {@code sh -c} string, a package.json script), so an interpreter's script it names is the harness; in a
     * script's body, an interpreter's script is more likely the product under test.
     */
    private record Pending(String text, int depth, String via, boolean direct) {}

    private final Deque<Pending> pending = new ArrayDeque<>();

    private TestCommandScripts(Tree base) {
        this.base = base;
    }

    /**
     * @return each file the command runs, in discovery order, with why it is pinned
     * @throws IllegalArgumentException when the test command itself cannot be parsed (no harness can be derived)
     */
    static Map<String, String> resolve(String testCommand, Tree base) {
        TestCommandScripts scripts = new TestCommandScripts(base);
        scripts.pending.add(new Pending(testCommand, 0, "the test command (" + testCommand + ")", true));
        boolean first = true;
        while (!scripts.pending.isEmpty() && scripts.pinned.size() < MAX_SCRIPTS) {
            Pending next = scripts.pending.poll();
            List<ShellScript.Command> commands;
            try {
                commands = ShellScript.commands(next.text());
            } catch (IllegalArgumentException e) {
                if (first) {
                    throw new IllegalArgumentException(
                            "cannot parse the test command to find its harness: " + e.getMessage(), e);
                }
                // a script the shell could not parse stays pinned itself; what it runs is not followed
                continue;
            } finally {
                first = false;
            }
            for (ShellScript.Command command : commands) {
                scripts.command(command, next);
            }
        }
        return scripts.pinned;
    }

    private void command(ShellScript.Command command, Pending from) {
        int depth = from.depth();
        String via = from.via();
        List<String> words = command.words();
        int i = skipWrappers(command);
        if (i >= words.size() || command.expanded().get(i)) {
            return;
        }
        String name = words.get(i);
        String tool = RepoPath.basename(name).toLowerCase(java.util.Locale.ROOT);
        if (SHELLS.contains(tool)) {
            shell(command, i + 1, from);
        } else if (SOURCE.contains(name)) {
            script(command, i + 1, depth, via, true);
        } else if (INTERPRETERS.contains(tool) || tool.startsWith("python")) {
            if (from.direct()) {
                script(command, i + 1, depth, via, false);
            }
        } else if (PACKAGE_MANAGERS.contains(tool)) {
            packageScript(words, i + 1, depth, via);
        } else if (name.indexOf('/') >= 0) {
            String path = RepoPath.normalize(name);
            Optional<String> text = path == null ? Optional.empty() : base.read(path);
            if (text.isPresent() && (from.direct() || isShellScript(path, text.get()))) {
                pin(path, "the script " + via + " runs", text.get(), depth, isShellScript(path, text.get()));
            }
        }
        configFlags(command, i + 1, via);
    }

    /** Index of the word that names the command once wrappers such as {@code env FOO=1 timeout 60} are skipped. */
    private static int skipWrappers(ShellScript.Command command) {
        List<String> words = command.words();
        int i = 0;
        while (i < words.size()) {
            String tool = RepoPath.basename(words.get(i)).toLowerCase(java.util.Locale.ROOT);
            Set<String> subVerbs = SUB_VERB_WRAPPERS.get(tool);
            if (subVerbs != null && i + 1 < words.size() && subVerbs.contains(words.get(i + 1))) {
                i += 2;
                continue;
            }
            if (!WRAPPERS.contains(tool)) {
                return i;
            }
            i++;
            // the wrapper's own options and arguments: -x, -n 5, NAME=value, a timeout's duration
            Set<String> valueOptions = WRAPPER_VALUE_OPTIONS.getOrDefault(tool, Set.of());
            while (i < words.size()) {
                String w = words.get(i);
                if (valueOptions.contains(w)) {
                    i += 2;
                } else if (w.startsWith("-") || w.indexOf('=') > 0 || (tool.equals("timeout") && isDuration(w))) {
                    i++;
                } else {
                    break;
                }
            }
        }
        return i;
    }

    private static boolean isDuration(String w) {
        return !w.isEmpty() && Character.isDigit(w.charAt(0));
    }

    /** {@code sh -c '…'} runs its string; {@code sh -e test.sh} runs the file. */
    private void shell(ShellScript.Command command, int start, Pending from) {
        List<String> words = command.words();
        int depth = from.depth();
        String via = from.via();
        for (int j = start; j < words.size(); j++) {
            String w = words.get(j);
            if (w.equals("-c") || (w.startsWith("-") && !w.startsWith("--") && w.indexOf('c') > 0)) {
                if (j + 1 < words.size() && depth < MAX_DEPTH) {
                    pending.add(new Pending(words.get(j + 1), depth + 1, via, from.direct()));
                }
                return;
            }
            if (w.equals("-o") || w.equals("+o")) {
                j++;
                continue;
            }
            if (w.startsWith("-") || w.startsWith("+")) {
                continue;
            }
            script(command, j, depth, via, true);
            return;
        }
    }

    /** The first non-option word from {@code from} names a script; pin it if the base has it. */
    private void script(ShellScript.Command command, int from, int depth, String via, boolean shell) {
        List<String> words = command.words();
        for (int j = from; j < words.size(); j++) {
            String w = words.get(j);
            if (w.equals("-m") || w.equals("-c") || w.equals("-e") || w.equals("--eval") || w.equals("-r")) {
                return; // a module or inline code, not a file of the repository
            }
            if (w.startsWith("-")) {
                continue;
            }
            if (command.expanded().get(j)) {
                return;
            }
            String path = RepoPath.normalize(w);
            Optional<String> text = path == null ? Optional.empty() : base.read(path);
            if (text.isPresent()) {
                boolean follow = shell || isShellScript(path, text.get());
                pin(path, "the script " + via + " runs", text.get(), depth, follow);
            }
            return;
        }
    }

    /** {@code npm test}, {@code npm run lint}, {@code yarn test}: the scripts of the base's package.json. */
    private void packageScript(List<String> words, int from, int depth, String via) {
        String script = null;
        for (int j = from; j < words.size(); j++) {
            String w = words.get(j);
            if (w.startsWith("-")) {
                continue;
            }
            if (w.equals("run") || w.equals("run-script")) {
                continue;
            }
            script = switch (w) {
                case "t", "tst" -> "test";
                default -> w;
            };
            break;
        }
        if (script == null || depth >= MAX_DEPTH) {
            return;
        }
        Optional<String> manifest = base.read("package.json");
        if (manifest.isEmpty()) {
            return;
        }
        JsonNode scripts;
        try {
            scripts = JSON.readTree(manifest.get()).path("scripts");
        } catch (java.io.IOException e) {
            return; // the manifest itself is pinned by its own rule
        }
        for (String name : List.of("pre" + script, script, "post" + script)) {
            JsonNode text = scripts.path(name);
            if (text.isTextual()) {
                pending.add(new Pending(text.asText(), depth + 1, "the package.json script \"" + name + "\"", true));
            }
        }
    }

    /** {@code pytest -c ci/pytest.ini}, {@code make -f build/test.mk}, {@code jest --config=jest.ci.js}. */
    private void configFlags(ShellScript.Command command, int from, String via) {
        List<String> words = command.words();
        for (int j = from; j < words.size(); j++) {
            String w = words.get(j);
            String value = null;
            int eq = w.indexOf('=');
            if (w.startsWith("--") && eq > 0 && CONFIG_FLAGS.contains(w.substring(0, eq))) {
                value = w.substring(eq + 1);
            } else if (CONFIG_FLAGS.contains(w)
                    && j + 1 < words.size()
                    && !command.expanded().get(j + 1)) {
                value = words.get(j + 1);
            }
            if (value == null) {
                continue;
            }
            String path = RepoPath.normalize(value);
            if (path != null && CONFIG_EXTENSIONS.contains(RepoPath.extension(path))) {
                Optional<String> text = base.read(path);
                if (text.isPresent()) {
                    pin(path, "the configuration " + via + " names", text.get(), MAX_DEPTH, false);
                }
            }
        }
    }

    private void pin(String path, String why, String text, int depth, boolean follow) {
        if (pinned.containsKey(path)) {
            return;
        }
        pinned.put(path, why);
        if (follow && depth < MAX_DEPTH) {
            pending.add(new Pending(text, depth + 1, path, false));
        }
    }

    static boolean isShellScript(String path, String text) {
        if (SHELL_EXTENSIONS.contains(RepoPath.extension(path))) {
            return true;
        }
        if (!RepoPath.extension(path).isEmpty() || !text.startsWith("#!")) {
            return false;
        }
        int end = text.indexOf('\n');
        String shebang = end < 0 ? text : text.substring(0, end);
        for (String shell : SHELLS) {
            if (shebang.endsWith("/" + shell) || shebang.contains("/" + shell + " ") || shebang.endsWith(" " + shell)) {
                return true;
            }
        }
        return false;
    }
}
