package dev.loopline.core.guard.integrity;

import dev.loopline.core.diff.FileChange;
import dev.loopline.core.diff.Hunk;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a diff's files into runs of about equal size that can be scanned on separate threads. A diff below
 * {@link #MIN_PARALLEL_LINES} hunk lines, or a scan allowed only one thread, stays in one part: there the hand-off
 * would cost more than it saves.
 */
final class ScanParts {

    /** About 1 MB of diff text; smaller diffs scan in a few milliseconds on one thread. */
    static final int MIN_PARALLEL_LINES = 25_000;

    /** Parts per thread, so a thread that drew small files takes another part instead of idling. */
    private static final int PARTS_PER_THREAD = 4;

    private ScanParts() {}

    static List<List<FileChange>> split(List<FileChange> files, int threads) {
        long total = 0;
        long[] weight = new long[files.size()];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = weight(files.get(i));
            total += weight[i];
        }
        if (threads < 2 || files.size() < 2 || total < MIN_PARALLEL_LINES) {
            return List.of(files);
        }
        long target = Math.max(1, total / ((long) threads * PARTS_PER_THREAD));
        List<List<FileChange>> parts = new ArrayList<>();
        int from = 0;
        long size = 0;
        for (int i = 0; i < weight.length; i++) {
            size += weight[i];
            if (size >= target) {
                parts.add(files.subList(from, i + 1));
                from = i + 1;
                size = 0;
            }
        }
        if (from < files.size()) {
            parts.add(files.subList(from, files.size()));
        }
        return parts;
    }

    /** The number of hunk lines, plus one so a file with no hunks still counts. */
    private static long weight(FileChange f) {
        long lines = 1;
        for (Hunk h : f.hunks()) {
            lines += h.lines().size();
        }
        return lines;
    }
}
