package dev.loopline.core.maker;

import dev.loopline.core.io.Git;
import dev.loopline.core.io.GitException;
import dev.loopline.core.io.GitMirror;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a maker changed in its worktree: everything, staged, as a full binary-safe diff against the base commit, and
 * the paths it touches. Shared by agent-service and the CLI's one-process run.
 *
 * @param diff empty when the maker changed nothing
 */
public record WorktreeChange(String diff, List<String> files) {

    public WorktreeChange {
        files = List.copyOf(files);
    }

    /** The change cannot be computed or is not acceptable (too large, not UTF-8); the message says which. */
    public static final class Failed extends RuntimeException {
        Failed(String message) {
            super(message);
        }
    }

    /**
     * @param maxBytes the largest diff accepted
     * @throws Failed when git fails, the diff is larger than {@code maxBytes}, or it is not valid UTF-8
     */
    public static WorktreeChange of(Git git, Path worktree, String baseSha, long maxBytes) {
        return of(git, worktree, baseSha, maxBytes, null);
    }

    /**
     * As {@link #of(Git, Path, String, long)}, writing the patch through a file in {@code scratch} (the JVM's temp
     * directory when null), so a worker that cleans its own scratch directory after a crash finds it there.
     */
    public static WorktreeChange of(Git git, Path worktree, String baseSha, long maxBytes, Path scratch) {
        Path patch = null;
        try {
            git.run(worktree, GitMirror.with("add", "-A"));
            patch = scratch == null
                    ? Files.createTempFile("loopline-proposal-", ".diff")
                    : Files.createTempFile(scratch, "loopline-proposal-", ".diff");
            git.run(
                    worktree,
                    Map.of(),
                    null,
                    GitMirror.with(
                            "diff",
                            "--cached",
                            "--binary",
                            "--no-color",
                            "--no-ext-diff",
                            "--no-textconv",
                            "--output=" + patch,
                            baseSha));
            long size = Files.size(patch);
            if (size > maxBytes) {
                throw new Failed("diff too large: " + size + " bytes (limit " + maxBytes + ")");
            }
            String diff = strictUtf8(Files.readAllBytes(patch));
            String names =
                    git.run(worktree, GitMirror.with("diff", "--cached", "--name-only", "-z", "--no-renames", baseSha));
            List<String> files = Arrays.stream(names.split("\0"))
                    .filter(name -> !name.isBlank())
                    .toList();
            return new WorktreeChange(diff, files);
        } catch (GitException | IOException e) {
            throw new Failed("cannot compute the diff: " + e.getMessage());
        } finally {
            if (patch != null) {
                try {
                    Files.deleteIfExists(patch);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            // the diff travels as JSON text and its hash is over UTF-8; lossy decoding would change it
            throw new Failed("diff is not valid UTF-8 (a text file in another encoding?)");
        }
    }
}
