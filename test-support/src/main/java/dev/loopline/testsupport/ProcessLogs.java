package dev.loopline.testsupport;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Reads the end of a process log, for error messages that must say why a server did not start. */
public final class ProcessLogs {

    private static final int MAX_TAIL_BYTES = 64 * 1024;

    private ProcessLogs() {}

    /** The last {@code lines} lines of {@code log} (at most the last 64 KiB), or a note if unreadable. */
    public static String tail(Path log, int lines) {
        if (log == null || !Files.isRegularFile(log)) {
            return "(no log at " + log + ")";
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            int size = (int) Math.min(length, MAX_TAIL_BYTES);
            byte[] bytes = new byte[size];
            file.seek(length - size);
            file.readFully(bytes);
            List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
            List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
            return last.isEmpty() ? "(log " + log + " is empty)" : String.join(System.lineSeparator(), last);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}
