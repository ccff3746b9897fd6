package dev.loopline.core.triage;

import java.util.Objects;

/** One commit as the triage stage reads it from {@code git log}: full id, parent count and subject line. */
public record Commit(String sha, int parents, String subject) {

    public Commit {
        Objects.requireNonNull(sha, "sha");
        subject = subject == null ? "" : subject;
    }

    public boolean isMerge() {
        return parents > 1;
    }
}
