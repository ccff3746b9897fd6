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
import java.util.Locale;

/**
 * A deterministic maker for walking skeletons and tests: applies {@code spec.maker.edits} (write, append,
 * delete) with {@code {{tick}}} and {@code {{loop}}} replaced. Writes are confined to the worktree by
 * comparing canonical paths, so {@code ..}, absolute paths, {@code .git} and symlinks pointing outside are
 * refused.
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

    /**
     * Resolves an edit path inside {@code root} or throws. The lexical checks reject the obvious; the
     * canonical check (deepest existing ancestor, symlinks resolved, compared component-wise) catches
     * symlinks that lead out of the worktree or into {@code .git}.
     */
    static Path confine(Path root, String relative) {
        if (relative == null || relative.isBlank()) {
            throw refused(relative, "empty path");
        }
        if (relative.startsWith("/") || relative.startsWith("\\") || relative.matches("^[A-Za-z]:.*")) {
            throw refused(relative, "absolute path");
        }
        Path path = Path.of(relative);
        if (path.isAbsolute()) {
            throw refused(relative, "absolute path");
        }
        for (Path part : path) {
            String name = part.toString();
            if (name.equals("..")) {
                throw refused(relative, "'..' is not allowed");
            }
            if (name.toLowerCase(Locale.ROOT).equals(".git")) {
                throw refused(relative, "git metadata is off limits");
            }
        }
        Path target = root.resolve(path).normalize();
        Path existing = target;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw refused(relative, "outside the worktree");
        }
        if (Files.isSymbolicLink(existing) && !Files.exists(existing)) {
            // where a dangling link (or a chain of them) leads cannot be checked before writing through it
            throw refused(relative, "dangling symbolic link");
        }
        Path canonical;
        try {
            canonical = existing.toRealPath();
        } catch (IOException e) {
            throw refused(relative, "cannot resolve: " + e.getMessage());
        }
        if (!canonical.startsWith(root)) {
            throw refused(relative, "resolves outside the worktree");
        }
        Path inside = root.relativize(canonical);
        if (inside.getNameCount() > 0
                && inside.getName(0).toString().toLowerCase(Locale.ROOT).equals(".git")) {
            throw refused(relative, "resolves into git metadata");
        }
        return target;
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
