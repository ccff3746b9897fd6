package dev.loopline.makers.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.loopline.core.guard.command.Decision;
import dev.loopline.core.guard.command.SpecCommandGuard;
import dev.loopline.core.io.ShellCommand;
import dev.loopline.core.maker.WorktreePath;
import dev.loopline.schemas.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tools a model gets in its worktree: list, read, search, write and edit files, and run a command. Every path is
 * confined to the worktree by {@link WorktreePath} (no absolute paths, {@code ..}, {@code .git}, or symlinks leading
 * out); every command passes the loop's command guard first and runs like the shell maker's, with a clean environment
 * and a timeout. A refused or failed call is not an error of the run: its reason goes back to the model as the tool's
 * result, which starts with {@code refused:} or {@code error:}.
 */
final class WorktreeTools {

    static final String LIST_FILES = "list_files";
    static final String READ_FILE = "read_file";
    static final String SEARCH_TEXT = "search_text";
    static final String WRITE_FILE = "write_file";
    static final String EDIT_FILE = "edit_file";
    static final String RUN_COMMAND = "run_command";

    /** Limits that keep one tool result a reasonable part of a model's context. */
    static final int MAX_LISTED = 1000;

    static final int MAX_READ_CHARS = 100_000;
    static final int MAX_MATCHES = 100;
    static final long MAX_SEARCHED_FILE_BYTES = 1024 * 1024;
    static final int COMMAND_OUTPUT_CHARS = 4000;

    static final List<ToolSpecification> SPECIFICATIONS = List.of(
            ToolSpecification.builder()
                    .name(LIST_FILES)
                    .description("List the files under a directory of the worktree, recursively (.git excluded).")
                    .parameters(JsonObjectSchema.builder()
                            .addStringProperty("path", "Directory relative to the worktree root; default: the root.")
                            .build())
                    .build(),
            ToolSpecification.builder()
                    .name(READ_FILE)
                    .description("Read a text file of the worktree.")
                    .parameters(JsonObjectSchema.builder()
                            .addStringProperty("path", "File path relative to the worktree root.")
                            .required("path")
                            .build())
                    .build(),
            ToolSpecification.builder()
                    .name(SEARCH_TEXT)
                    .description("Find the lines that contain a text (exact, case-sensitive) in the worktree's files.")
                    .parameters(JsonObjectSchema.builder()
                            .addStringProperty("text", "The text to find.")
                            .addStringProperty("path", "Directory or file to search in; default: the whole worktree.")
                            .required("text")
                            .build())
                    .build(),
            ToolSpecification.builder()
                    .name(WRITE_FILE)
                    .description("Create or overwrite a file of the worktree with the given content.")
                    .parameters(JsonObjectSchema.builder()
                            .addStringProperty("path", "File path relative to the worktree root.")
                            .addStringProperty("content", "The whole new content of the file.")
                            .required("path", "content")
                            .build())
                    .build(),
            ToolSpecification.builder()
                    .name(EDIT_FILE)
                    .description("Replace one exact occurrence of old_text in a file with new_text. old_text must"
                            + " occur exactly once: include enough surrounding lines to make it unique.")
                    .parameters(JsonObjectSchema.builder()
                            .addStringProperty("path", "File path relative to the worktree root.")
                            .addStringProperty("old_text", "The exact text to replace.")
                            .addStringProperty("new_text", "The text to put in its place.")
                            .required("path", "old_text", "new_text")
                            .build())
                    .build(),
            ToolSpecification.builder()
                    .name(RUN_COMMAND)
                    .description("Run a shell command (bash -c) in the worktree root and get its exit code and the"
                            + " end of its output. Commands are checked by a command guard; a refused command is"
                            + " not run. No credentials are available to it.")
                    .parameters(JsonObjectSchema.builder()
                            .addStringProperty("command", "The shell command.")
                            .required("command")
                            .build())
                    .build());

    private final Path root;
    private final ModelRunRequest request;
    private final RunContext run;
    private final Duration commandTimeout;

    /** @param root the worktree, canonical */
    WorktreeTools(Path root, ModelRunRequest request, RunContext run, Duration commandTimeout) {
        this.root = root;
        this.request = request;
        this.run = run;
        this.commandTimeout = commandTimeout;
    }

    /**
     * Runs one tool call; the result is what the model is told.
     *
     * @throws RunStopped when the tick is halted or the run's time ends during the call
     */
    String execute(ToolExecutionRequest call) {
        JsonNode args;
        try {
            args = call.arguments() == null || call.arguments().isBlank()
                    ? Json.mapper().createObjectNode()
                    : Json.mapper().readTree(call.arguments());
        } catch (IOException e) {
            return "error: the arguments are not a JSON object: " + ProviderProblem.oneLine(e.getMessage());
        }
        if (args == null || !args.isObject()) {
            return "error: the arguments are not a JSON object";
        }
        try {
            return switch (call.name() == null ? "" : call.name()) {
                case LIST_FILES -> listFiles(optional(args, "path", "."));
                case READ_FILE -> readFile(required(args, "path"));
                case SEARCH_TEXT -> searchText(required(args, "text"), optional(args, "path", "."));
                case WRITE_FILE -> writeFile(required(args, "path"), required(args, "content"));
                case EDIT_FILE -> editFile(
                        required(args, "path"), required(args, "old_text"), required(args, "new_text"));
                case RUN_COMMAND -> runCommand(required(args, "command"));
                default -> "error: there is no tool '" + call.name() + "'; the tools are " + LIST_FILES + ", "
                        + READ_FILE + ", " + SEARCH_TEXT + ", " + WRITE_FILE + ", " + EDIT_FILE + " and "
                        + RUN_COMMAND;
            };
        } catch (WorktreePath.Refused refused) {
            return "refused: path '" + refused.path() + "': " + refused.reason();
        } catch (MissingArgument missing) {
            return "error: missing argument '" + missing.getMessage() + "'";
        } catch (IOException | UncheckedIOException e) {
            return "error: " + e.getMessage();
        }
    }

    /** True for a result that reports a refusal (by the path rules or the command guard). */
    static boolean refused(String result) {
        return result.startsWith("refused:");
    }

    private String listFiles(String path) throws IOException {
        Path dir = WorktreePath.confine(root, path);
        if (!Files.isDirectory(dir)) {
            return "error: " + path + " is not a directory";
        }
        List<String> files = new ArrayList<>();
        int[] more = {0};
        walk(dir, file -> {
            if (files.size() < MAX_LISTED) {
                files.add(relative(file));
            } else {
                more[0]++;
            }
            return true;
        });
        if (files.isEmpty()) {
            return "(no files)";
        }
        String listing = String.join("\n", files);
        return more[0] == 0 ? listing : listing + "\n… and " + more[0] + " more files";
    }

    private String readFile(String path) throws IOException {
        Path file = WorktreePath.confine(root, path);
        if (!Files.isRegularFile(file)) {
            return "error: " + path + " is not a file";
        }
        byte[] bytes = Files.readAllBytes(file);
        String text = text(bytes);
        if (text == null) {
            return "error: " + path + " is not a UTF-8 text file (" + bytes.length + " bytes)";
        }
        if (text.length() > MAX_READ_CHARS) {
            return text.substring(0, MAX_READ_CHARS) + "\n[truncated: the file has " + text.length()
                    + " characters; only the first " + MAX_READ_CHARS + " are shown]";
        }
        return text;
    }

    private String searchText(String needle, String path) throws IOException {
        if (needle.isEmpty()) {
            return "error: the text to find is empty";
        }
        Path start = WorktreePath.confine(root, path);
        if (!Files.exists(start)) {
            return "error: " + path + " does not exist";
        }
        List<String> matches = new ArrayList<>();
        walk(start, file -> {
            try {
                if (Files.size(file) > MAX_SEARCHED_FILE_BYTES) {
                    return true;
                }
                String text = text(Files.readAllBytes(file));
                if (text == null) {
                    return true;
                }
                String[] lines = text.split("\n", -1);
                for (int i = 0; i < lines.length && matches.size() < MAX_MATCHES; i++) {
                    if (lines[i].contains(needle)) {
                        matches.add(relative(file) + ":" + (i + 1) + ": " + ProviderProblem.oneLine(lines[i]));
                    }
                }
            } catch (IOException e) {
                // an unreadable file has no matches
            }
            return matches.size() < MAX_MATCHES;
        });
        if (matches.isEmpty()) {
            return "no matches";
        }
        String found = String.join("\n", matches);
        return matches.size() < MAX_MATCHES ? found : found + "\n[stopped at " + MAX_MATCHES + " matches]";
    }

    private String writeFile(String path, String content) throws IOException {
        Path file = WorktreePath.confine(root, path);
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            return "error: " + path + " is a directory";
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return "wrote " + path + " (" + content.getBytes(StandardCharsets.UTF_8).length + " bytes)";
    }

    private String editFile(String path, String oldText, String newText) throws IOException {
        Path file = WorktreePath.confine(root, path);
        if (!Files.isRegularFile(file)) {
            return "error: " + path + " is not a file; use " + WRITE_FILE + " to create it";
        }
        if (oldText.isEmpty()) {
            return "error: old_text is empty";
        }
        String text = text(Files.readAllBytes(file));
        if (text == null) {
            return "error: " + path + " is not a UTF-8 text file";
        }
        int first = text.indexOf(oldText);
        if (first < 0) {
            return "error: old_text was not found in " + path + " (it must match exactly, whitespace included)";
        }
        int count = 0;
        for (int at = first; at >= 0; at = text.indexOf(oldText, at + oldText.length())) {
            count++;
        }
        if (count > 1) {
            return "error: old_text occurs " + count + " times in " + path
                    + "; include more surrounding text so that it occurs once";
        }
        String edited = text.substring(0, first) + newText + text.substring(first + oldText.length());
        Files.writeString(file, edited, StandardCharsets.UTF_8);
        return "edited " + path;
    }

    private String runCommand(String command) throws IOException {
        if (command.isBlank()) {
            return "error: the command is empty";
        }
        Decision decision;
        try {
            decision = SpecCommandGuard.check(request.spec(), command);
        } catch (RuntimeException e) {
            // fail closed: a command the guard cannot judge does not run
            return "refused: the command guard could not check the command (" + e.getMessage() + "); it was not run";
        }
        if (decision instanceof Decision.Block block) {
            return "refused: the command guard blocked it by rule " + block.ruleId() + ": " + block.reason() + " ("
                    + block.offendingCommand() + "); it was not run";
        }
        Duration timeout = run.bound(commandTimeout);
        Path output = request.scratch().tempFile("loopline-llm-command-", ".log");
        try {
            ShellCommand.Result result = ShellCommand.run(
                    command, root, request.commandEnvironment(), timeout, output, COMMAND_OUTPUT_CHARS);
            if (result.timedOut()) {
                // a halt interrupts the command, and the end of the run cuts it short: both end the run
                run.checkRunning();
                return "timed out after " + ModelHttpClient.seconds(timeout)
                        + "; the command and its children were killed. Output:\n" + result.outputTail();
            }
            return "exit " + result.exitCode() + "\n" + result.outputTail();
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Visits the regular files under {@code start} in name order, skipping {@code .git} and not following links. */
    private void walk(Path start, FileVisitor visitor) throws IOException {
        if (Files.isRegularFile(start, LinkOption.NOFOLLOW_LINKS)) {
            visitor.visit(start);
            return;
        }
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return dir.getFileName() != null
                                && dir.getFileName()
                                        .toString()
                                        .toLowerCase(Locale.ROOT)
                                        .equals(".git")
                        ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        files.sort(null);
        for (Path file : files) {
            if (!visitor.visit(file)) {
                return;
            }
        }
    }

    @FunctionalInterface
    private interface FileVisitor {
        /** @return false to stop */
        boolean visit(Path file);
    }

    private String relative(Path file) {
        return root.relativize(file).toString();
    }

    /** The bytes as UTF-8 text, or null for a binary file (a NUL byte, or not UTF-8). */
    private static String text(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String required(JsonNode args, String name) {
        JsonNode value = args.get(name);
        if (value == null || value.isNull()) {
            throw new MissingArgument(name);
        }
        return value.isTextual() ? value.asText() : value.toString();
    }

    private static String optional(JsonNode args, String name, String fallback) {
        JsonNode value = args.get(name);
        if (value == null
                || value.isNull()
                || (value.isTextual() && value.asText().isBlank())) {
            return fallback;
        }
        return value.isTextual() ? value.asText() : value.toString();
    }

    private static final class MissingArgument extends RuntimeException {
        MissingArgument(String name) {
            super(name, null, false, false);
        }
    }
}
