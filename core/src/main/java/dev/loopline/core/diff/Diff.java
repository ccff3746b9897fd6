package dev.loopline.core.diff;

import java.util.List;

/** A parsed unified diff: the file changes in input order. */
public record Diff(List<FileChange> files) {

    public Diff {
        files = List.copyOf(files);
    }

    public boolean isEmpty() {
        return files.isEmpty();
    }

    public int addedLines() {
        int n = 0;
        for (FileChange f : files) {
            n += f.addedLines();
        }
        return n;
    }

    public int removedLines() {
        int n = 0;
        for (FileChange f : files) {
            n += f.removedLines();
        }
        return n;
    }
}
