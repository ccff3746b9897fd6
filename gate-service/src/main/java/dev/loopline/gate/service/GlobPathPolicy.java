package dev.loopline.gate.service;

import dev.loopline.gate.repository.ChangeSet;
import dev.loopline.schemas.spec.LoopSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link PathPolicy} with {@link FileSystem#getPathMatcher(String) glob} semantics: a path is allowed when
 * it matches at least one allow glob and no deny glob. Fails closed: no allow globs means nothing is
 * allowed, and a binary change cannot satisfy a line limit because its lines cannot be counted.
 */
@ApplicationScoped
public class GlobPathPolicy implements PathPolicy {

    @Override
    public List<String> violations(LoopSpec.Allowlist allowlist, ChangeSet change) {
        List<PathMatcher> allow = matchers(allowlist.allow());
        List<PathMatcher> deny = matchers(allowlist.deny());
        List<String> outside = new ArrayList<>();
        List<String> denied = new ArrayList<>();
        for (String path : change.paths()) {
            Path p = Path.of(path);
            if (deny.stream().anyMatch(m -> m.matches(p))) {
                denied.add(path);
            } else if (allow.stream().noneMatch(m -> m.matches(p))) {
                outside.add(path);
            }
        }
        List<String> reasons = new ArrayList<>();
        if (!denied.isEmpty()) {
            reasons.add("denied paths: " + String.join(", ", denied));
        }
        if (!outside.isEmpty()) {
            reasons.add("paths outside the allowlist: " + String.join(", ", outside));
        }
        if (allowlist.maxFiles() != null && change.files().size() > allowlist.maxFiles()) {
            reasons.add("changes " + change.files().size() + " files, more than maxFiles " + allowlist.maxFiles());
        }
        if (allowlist.maxLines() != null) {
            if (!change.binaryPaths().isEmpty()) {
                reasons.add("binary changes cannot be held to maxLines: " + String.join(", ", change.binaryPaths()));
            } else if (change.lines() > allowlist.maxLines()) {
                reasons.add("changes " + change.lines() + " lines, more than maxLines " + allowlist.maxLines());
            }
        }
        return reasons;
    }

    private static List<PathMatcher> matchers(List<String> globs) {
        FileSystem fs = FileSystems.getDefault();
        return globs == null
                ? List.of()
                : globs.stream().map(g -> fs.getPathMatcher("glob:" + g)).toList();
    }
}
