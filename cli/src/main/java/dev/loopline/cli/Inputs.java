package dev.loopline.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Input and output of the guard verbs. Inputs fail closed: a missing, unreadable, directory or empty input is a
 * usage error, never a "clean" or "allow" answer. Text is read as UTF-8 (malformed bytes become U+FFFD) and
 * written as UTF-8 whatever the platform charset, because the output is JSON.
 */
final class Inputs {

    static final String STDIN = "-";

    private Inputs() {}

    /** Whether {@code source} (a path, {@code -} or null) names standard input. */
    static boolean isStdin(String source) {
        return source == null || STDIN.equals(source);
    }

    static String describe(String source) {
        return isStdin(source) ? "standard input" : source;
    }

    /**
     * The whole text of a file, or of standard input when {@code source} is null or {@code -}.
     *
     * @param what what the input should hold, for messages ("diff", "text")
     */
    static String readText(String source, String what) {
        byte[] bytes = isStdin(source) ? readStdin(what) : readFile(source, what);
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            throw new UsageException(describe(source) + " is empty; an empty " + what
                    + " is an error, never clean: pass a file with the " + what + " or pipe it in");
        }
        return text;
    }

    /** A path that must name a readable regular file. */
    static Path regularFile(String source, String what) {
        Path path;
        try {
            path = Path.of(source);
        } catch (InvalidPathException e) {
            throw new UsageException("'" + source + "' is not a valid path; pass the " + what + " file");
        }
        if (Files.isDirectory(path)) {
            throw new UsageException(source + " is a directory; pass the " + what + " file itself");
        }
        if (!Files.exists(path)) {
            throw new UsageException(source + ": no such file; pass an existing " + what + " file");
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new UsageException(source + " cannot be read; pass a readable " + what + " file");
        }
        return path;
    }

    private static byte[] readFile(String source, String what) {
        Path path = regularFile(source, what);
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UsageException(
                    "cannot read " + source + " (" + e.getMessage() + "); pass a readable " + what + " file");
        }
    }

    private static byte[] readStdin(String what) {
        if (System.console() != null) {
            throw new UsageException("no " + what + " given and standard input is a terminal; pass a file, or pipe"
                    + " the " + what + " in");
        }
        try {
            return System.in.readAllBytes();
        } catch (IOException e) {
            throw new UsageException("cannot read standard input (" + e.getMessage() + ")");
        }
    }

    /** A buffered UTF-8 view of standard output; callers flush it (and never close it) when done. */
    static PrintStream stdout() {
        return new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false, StandardCharsets.UTF_8);
    }
}
