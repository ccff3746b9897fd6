package dev.loopline.core.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One file's change. {@code oldPath} is null for {@link ChangeType#ADDED}, {@code newPath} is null
 * for {@link ChangeType#DELETED}; modes are null when the diff does not state them. Paths carry no
 * {@code a/} or {@code b/} prefix and are unquoted.
 */
public record FileChange(
        String oldPath,
        String newPath,
        ChangeType type,
        String oldMode,
        String newMode,
        boolean binary,
        List<Hunk> hunks) {

    public FileChange {
        Objects.requireNonNull(type, "type");
        if (oldPath == null && newPath == null) {
            throw new IllegalArgumentException("a file change needs at least one path");
        }
        hunks = List.copyOf(hunks);
    }

    /** The path this change leaves behind, or the removed path for a deletion. */
    public String path() {
        return newPath != null ? newPath : oldPath;
    }

    /** Every distinct path this change touches (both sides of a rename or copy). */
    public List<String> paths() {
        List<String> out = new ArrayList<>(2);
        if (oldPath != null) {
            out.add(oldPath);
        }
        if (newPath != null && !newPath.equals(oldPath)) {
            out.add(newPath);
        }
        return out;
    }

    /** True when both modes are known and differ (e.g. a file made executable). */
    public boolean modeChanged() {
        return oldMode != null && newMode != null && !oldMode.equals(newMode);
    }

    public int addedLines() {
        int n = 0;
        for (Hunk h : hunks) {
            n += h.addedLines();
        }
        return n;
    }

    public int removedLines() {
        int n = 0;
        for (Hunk h : hunks) {
            n += h.removedLines();
        }
        return n;
    }
}
