package dev.loopline.core.diff;

/** What a {@link FileChange} does to its path(s). */
public enum ChangeType {
    ADDED,
    DELETED,
    MODIFIED,
    RENAMED,
    COPIED
}
