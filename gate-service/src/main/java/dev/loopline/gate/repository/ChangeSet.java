package dev.loopline.gate.repository;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What a commit changes relative to its base, as git sees it with rename detection. */
public record ChangeSet(List<ChangedFile> files) {

    public ChangeSet {
        files = List.copyOf(files);
    }

    /**
     * One changed file. {@code oldPath} is set for renames and copies; {@code lines} is added plus deleted
     * lines, or -1 for a binary file.
     */
    public record ChangedFile(String status, String oldPath, String path, long lines) {
        public boolean binary() {
            return lines < 0;
        }
    }

    /** Every path the change touches: both sides of renames and copies, deleted paths included. */
    public List<String> paths() {
        Set<String> paths = new LinkedHashSet<>();
        for (ChangedFile f : files) {
            if (f.oldPath() != null) {
                paths.add(f.oldPath());
            }
            paths.add(f.path());
        }
        return List.copyOf(paths);
    }

    public long lines() {
        return files.stream().mapToLong(f -> Math.max(0, f.lines())).sum();
    }

    public List<String> binaryPaths() {
        return files.stream().filter(ChangedFile::binary).map(ChangedFile::path).toList();
    }
}
