package dev.loopline.core.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Globs compiled once into a single alternation for a fast yes/no, keeping the individual globs to
 * name the one that matched.
 */
final class GlobSet {

    private final List<Glob> globs;
    private final List<String> labels;
    private final Pattern any;

    GlobSet(List<Glob> globs, List<String> labels, boolean caseInsensitive) {
        this.globs = List.copyOf(globs);
        this.labels = List.copyOf(labels);
        if (globs.isEmpty()) {
            this.any = null;
        } else {
            StringBuilder sb = new StringBuilder();
            for (Glob g : globs) {
                if (sb.length() > 0) {
                    sb.append('|');
                }
                sb.append("(?:").append(Glob.toRegex(g.glob())).append(')');
            }
            int flags = Pattern.DOTALL | (caseInsensitive ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
            this.any = Pattern.compile(sb.toString(), flags);
        }
    }

    static GlobSet of(List<String> globs, String label, boolean caseInsensitive) {
        List<Glob> compiled = new ArrayList<>(globs.size());
        List<String> labels = new ArrayList<>(globs.size());
        for (String g : globs) {
            compiled.add(Glob.compile(g, caseInsensitive));
            labels.add(label);
        }
        return new GlobSet(compiled, labels, caseInsensitive);
    }

    boolean isEmpty() {
        return globs.isEmpty();
    }

    /** Index of the first matching glob, or -1. */
    int firstMatch(String normalizedPath) {
        if (any == null || !any.matcher(normalizedPath).matches()) {
            return -1;
        }
        for (int i = 0; i < globs.size(); i++) {
            if (globs.get(i).matches(normalizedPath)) {
                return i;
            }
        }
        return -1;
    }

    Glob glob(int i) {
        return globs.get(i);
    }

    String label(int i) {
        return labels.get(i);
    }

    List<Glob> globs() {
        return globs;
    }
}
