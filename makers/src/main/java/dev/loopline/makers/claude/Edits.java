package dev.loopline.makers.claude;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A file's content after a Write, Edit or MultiEdit call, so that the harness check judges what the file would
 * become (a spec written under an innocent name, a {@code package.json} whose test script changes). Empty when it
 * cannot be told (NotebookEdit, an edit whose text is not found); the check then reads the file as it is.
 */
final class Edits {

    private Edits() {}

    static Optional<String> contentAfter(HookCall call, Path cwd) {
        return switch (call.toolName()) {
            case "Write" -> Optional.ofNullable(call.input("content"));
            case "Edit" -> current(call, cwd).flatMap(text -> apply(text, call.toolInput()));
            case "MultiEdit" -> current(call, cwd).flatMap(text -> {
                Optional<String> result = Optional.of(text);
                for (JsonNode edit : call.toolInput().path("edits")) {
                    result = result.flatMap(t -> apply(t, edit));
                }
                return result;
            });
            default -> Optional.empty();
        };
    }

    private static Optional<String> apply(String text, JsonNode edit) {
        String old = edit.path("old_string").asText(null);
        String replacement = edit.path("new_string").asText(null);
        if (old == null || replacement == null || old.isEmpty() || !text.contains(old)) {
            return Optional.empty();
        }
        if (edit.path("replace_all").asBoolean(false)) {
            return Optional.of(text.replace(old, replacement));
        }
        int at = text.indexOf(old);
        return Optional.of(text.substring(0, at) + replacement + text.substring(at + old.length()));
    }

    private static Optional<String> current(HookCall call, Path cwd) {
        String path = call.input("file_path");
        if (path == null) {
            return Optional.empty();
        }
        Path file = cwd.resolve(path);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
