package dev.loopline.makers.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.loopline.core.maker.ShellMaking;
import dev.loopline.schemas.spec.LoopSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorktreeToolsTest {

    @TempDir
    Path temp;

    private Path root;
    private Path outside;
    private WorktreeTools tools;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(temp.resolve("wt")).toRealPath();
        outside = Files.createDirectories(temp.resolve("outside")).toRealPath();
        Files.writeString(root.resolve("a.txt"), "one\ntwo\none more\n");
        Files.createDirectories(root.resolve("src/main"));
        Files.writeString(root.resolve("src/main/App.java"), "class App { String name = \"one\"; }\n");
        Files.createDirectories(root.resolve(".git"));
        Files.writeString(root.resolve(".git/config"), "[core] one\n");
        Files.writeString(outside.resolve("secret.txt"), "one secret\n");
        LoopSpec spec = LoopSpec.builder(
                        "docs-loop", LoopSpec.Kind.ASSISTED_FIX, LoopSpec.Level.L2, new LoopSpec.Target("/r", "main"))
                .task("t")
                .build();
        ModelRunRequest request = new ModelRunRequest(
                root,
                spec,
                "docs-loop",
                "t-1",
                1,
                List.of(),
                null,
                null,
                (prefix, suffix) -> Files.createTempFile(temp, prefix, suffix),
                ShellMaking.environment(
                        new ShellMaking.Context("docs-loop", "t-1", 1, "t", List.of()),
                        Path.of(System.getProperty("java.io.tmpdir"))));
        tools = new WorktreeTools(
                root, request, new RunContext(Duration.ofMinutes(1), () -> false), Duration.ofSeconds(10));
    }

    @Test
    void listsFilesRecursivelyWithoutGitMetadata() {
        assertThat(call("list_files", "{}")).isEqualTo("a.txt\nsrc/main/App.java");
        assertThat(call("list_files", "{\"path\": \"src\"}")).isEqualTo("src/main/App.java");
    }

    @Test
    void searchesLiterallyAndSkipsGitMetadata() {
        assertThat(call("search_text", "{\"text\": \"one\"}"))
                .isEqualTo(
                        "a.txt:1: one\na.txt:3: one more\nsrc/main/App.java:1: class App { String name = \"one\"; }");
        assertThat(call("search_text", "{\"text\": \"o.e\"}")).isEqualTo("no matches");
    }

    @Test
    void editsExactlyOneOccurrence() throws IOException {
        assertThat(call("edit_file", "{\"path\": \"a.txt\", \"old_text\": \"one\", \"new_text\": \"1\"}"))
                .isEqualTo("error: old_text occurs 2 times in a.txt; include more surrounding text so that it occurs"
                        + " once");
        assertThat(call("edit_file", "{\"path\": \"a.txt\", \"old_text\": \"three\", \"new_text\": \"3\"}"))
                .startsWith("error: old_text was not found in a.txt");
        assertThat(call("edit_file", "{\"path\": \"a.txt\", \"old_text\": \"one more\", \"new_text\": \"1+\"}"))
                .isEqualTo("edited a.txt");
        assertThat(root.resolve("a.txt")).hasContent("one\ntwo\n1+");
    }

    @Test
    void readsAndWritesInsideTheWorktree() {
        assertThat(call("write_file", "{\"path\": \"docs/new.md\", \"content\": \"# new\\n\"}"))
                .isEqualTo("wrote docs/new.md (6 bytes)");
        assertThat(call("read_file", "{\"path\": \"docs/new.md\"}")).isEqualTo("# new\n");
    }

    @Test
    void refusesEveryPathOutsideTheWorktreeOrIntoGit() throws IOException {
        Files.createSymbolicLink(root.resolve("escape"), outside);

        assertThat(call("read_file", "{\"path\": \"" + outside.resolve("secret.txt") + "\"}"))
                .isEqualTo("refused: path '" + outside.resolve("secret.txt") + "': absolute path");
        assertThat(call("read_file", "{\"path\": \"escape/secret.txt\"}"))
                .isEqualTo("refused: path 'escape/secret.txt': resolves outside the worktree");
        assertThat(call("write_file", "{\"path\": \"escape/new.txt\", \"content\": \"x\"}"))
                .isEqualTo("refused: path 'escape/new.txt': resolves outside the worktree");
        assertThat(call("search_text", "{\"text\": \"one\", \"path\": \"escape\"}"))
                .isEqualTo("refused: path 'escape': resolves outside the worktree");
        assertThat(call("edit_file", "{\"path\": \".git/config\", \"old_text\": \"one\", \"new_text\": \"x\"}"))
                .isEqualTo("refused: path '.git/config': git metadata is off limits");
        assertThat(call("list_files", "{\"path\": \"..\"}")).isEqualTo("refused: path '..': '..' is not allowed");
        assertThat(outside.resolve("new.txt")).doesNotExist();
        assertThat(root.resolve(".git/config")).hasContent("[core] one");
    }

    @Test
    void runsAnAllowedCommandInTheWorktreeWithoutTheAgentsEnvironment() {
        String result = call("run_command", "{\"command\": \"pwd; echo \\\"home=$HOME user=${USER:-none}\\\"\"}");

        assertThat(result)
                .isEqualTo("exit 0\n" + root + "\nhome=" + System.getProperty("java.io.tmpdir") + " user=none\n");
    }

    @Test
    void aCommandGetsNoneOfTheAgentsEnvironmentAndCannotReadItThroughProc() {
        String env = call("run_command", "{\"command\": \"env\"}");
        String proc = call("run_command", "{\"command\": \"cat /proc/$PPID/environ > env.txt\"}");

        assertThat(env).startsWith("exit 0\n");
        assertThat(env.lines().skip(1).map(line -> line.substring(0, line.indexOf('='))))
                .isNotEmpty()
                .allMatch(name -> name.equals("PATH")
                        || name.equals("HOME")
                        || name.equals("LANG")
                        || name.startsWith("LOOPLINE_")
                        || name.equals("PWD")
                        || name.equals("SHLVL")
                        || name.equals("_"));
        assertThat(proc).startsWith("refused: the command guard blocked it by rule secret-read: ");
        assertThat(root.resolve("env.txt")).doesNotExist();
    }

    @Test
    void badArgumentsAndUnknownToolsAreErrorsForTheModel() {
        assertThat(call("read_file", "{}")).isEqualTo("error: missing argument 'path'");
        assertThat(call("read_file", "not json")).startsWith("error: the arguments are not a JSON object");
        assertThat(call("delete_everything", "{}")).startsWith("error: there is no tool 'delete_everything'");
    }

    private String call(String tool, String arguments) {
        return tools.execute(ToolExecutionRequest.builder()
                .id("call")
                .name(tool)
                .arguments(arguments)
                .build());
    }
}
