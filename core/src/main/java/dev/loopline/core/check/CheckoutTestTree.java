package dev.loopline.core.check;

import dev.loopline.core.guard.integrity.TestTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * A checkout's files for the integrity scanner's look at the tests that already exist. Listed on first use only
 * (most diffs special-case no literal, and then nothing is listed), without {@code .git} and symbolic links, and
 * capped: a tree larger than {@link #MAX_FILES} is listed up to the cap.
 */
final class CheckoutTestTree implements TestTree {

    static final int MAX_FILES = 50_000;

    private final Path root;
    private List<String> paths;

    CheckoutTestTree(Path root) {
        this.root = root;
    }

    @Override
    public synchronized List<String> paths() {
        if (paths == null) {
            paths = list();
        }
        return paths;
    }

    private List<String> list() {
        List<String> found = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return dir.getFileName() != null
                                    && dir.getFileName().toString().equals(".git")
                                    && !dir.equals(root)
                            ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        found.add(root.relativize(file).toString().replace('\\', '/'));
                    }
                    return found.size() >= MAX_FILES ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkout " + root, e);
        }
        return List.copyOf(found);
    }

    @Override
    public String read(String path, int maxChars) {
        Path file = root.resolve(path).normalize();
        if (!file.startsWith(root) || Files.isSymbolicLink(file)) {
            return null;
        }
        try {
            // a UTF-8 character is at least one byte: more bytes than maxChars * 4 cannot fit
            if (!Files.isRegularFile(file) || Files.size(file) > (long) maxChars * 4) {
                return null;
            }
            byte[] bytes = Files.readAllBytes(file);
            for (byte b : bytes) {
                if (b == 0) {
                    return null; // binary
                }
            }
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            return text.length() > maxChars ? null : text;
        } catch (CharacterCodingException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + " in the checkout", e);
        }
    }
}
