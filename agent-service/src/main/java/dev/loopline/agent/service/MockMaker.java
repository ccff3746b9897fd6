package dev.loopline.agent.service;

import dev.loopline.schemas.events.Usage;
import dev.loopline.schemas.spec.LoopSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic maker for walking skeletons and tests: applies {@code spec.maker.edits} (write, append,
 * delete) with {@code {{tick}}} and {@code {{loop}}} replaced. Writes are confined to the worktree by
 * {@link WorktreePath}, so {@code ..}, absolute paths, {@code .git} and symlinks pointing outside are refused.
 */
@ApplicationScoped
public class MockMaker implements Maker {

    public static final String TYPE = "mock";

    @Override
    public String type() {
        return TYPE;
    }

    /** Its tokens are settled under the model name {@value #TYPE}. */
    @Override
    public String model(MakerRequest request) {
        return TYPE;
    }

    @Override
    public MakerResult make(MakerRequest request) {
        LoopSpec.Maker maker = request.spec().maker();
        List<LoopSpec.Edit> edits = maker.edits() == null ? List.of() : maker.edits();
        Path root = realRoot(request.worktree());
        List<String> done = new ArrayList<>();
        for (LoopSpec.Edit edit : edits) {
            Path target = confine(root, edit.path());
            try {
                done.add(apply(edit, target, request));
            } catch (IOException e) {
                throw new MakerException("mock maker cannot edit " + edit.path() + ": " + e.getMessage(), e);
            }
        }
        long tokens = maker.tokensPerRun() == null ? 0 : maker.tokensPerRun();
        String summary = done.isEmpty() ? "mock maker: no edits" : "mock maker: " + String.join(", ", done);
        return new MakerResult(summary, new Usage(0, tokens));
    }

    private static String apply(LoopSpec.Edit edit, Path target, MakerRequest request) throws IOException {
        if (Boolean.TRUE.equals(edit.delete())) {
            Files.deleteIfExists(target);
            return "deleted " + edit.path();
        }
        if (edit.write() == null && edit.append() == null) {
            throw new MakerException("mock maker edit of " + edit.path() + " has no write, append or delete");
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new MakerException("mock maker cannot write " + edit.path() + ": it is a directory");
        }
        Files.createDirectories(target.getParent());
        List<String> parts = new ArrayList<>();
        if (edit.write() != null) {
            Files.writeString(target, render(edit.write(), request), StandardCharsets.UTF_8);
            parts.add("wrote " + edit.path());
        }
        if (edit.append() != null) {
            Files.writeString(
                    target,
                    render(edit.append(), request),
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            parts.add("appended to " + edit.path());
        }
        return String.join(", ", parts);
    }

    static String render(String content, MakerRequest request) {
        return content.replace("{{tick}}", request.tickId()).replace("{{loop}}", request.loopId());
    }

    /** Resolves an edit path inside {@code root} ({@link WorktreePath#confine}) or throws. */
    static Path confine(Path root, String relative) {
        try {
            return WorktreePath.confine(root, relative);
        } catch (WorktreePath.Refused refused) {
            throw refused(relative, refused.reason());
        }
    }

    private static Path realRoot(Path worktree) {
        try {
            return worktree.toRealPath();
        } catch (IOException e) {
            throw new MakerException("worktree " + worktree + " is missing", e);
        }
    }

    private static MakerException refused(String path, String why) {
        return new MakerException("mock maker refused path '" + path + "': " + why);
    }
}
