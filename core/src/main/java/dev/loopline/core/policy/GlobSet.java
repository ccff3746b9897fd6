package dev.loopline.core.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An ordered list of globs answering which one matches a path first. Each glob brings its own matcher;
 * the path is lower-cased once per query for all of them. The single alternation of all globs remains
 * only for paths that {@link Glob#normalize} would change again, to keep the historical answer for them.
 */
final class GlobSet {

    private final List<Glob> globs;
    private final List<String> labels;
    private final Pattern any;
    private final boolean caseInsensitive;

    GlobSet(List<Glob> globs, List<String> labels, boolean caseInsensitive) {
        this.caseInsensitive = caseInsensitive;
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
        if (any == null) {
            return -1;
        }
        String again = Glob.normalize(normalizedPath);
        if (!again.equals(normalizedPath)) {
            // e.g. "/./a": the set's own test reads the path as given, each glob normalizes it once more.
            if (!any.matcher(normalizedPath).matches()) {
                return -1;
            }
            for (int i = 0; i < globs.size(); i++) {
                if (globs.get(i).matches(normalizedPath)) {
                    return i;
                }
            }
            return -1;
        }
        // The first glob that matches is the answer when its case rule is the set's. A case-sensitive glob in a
        // case-insensitive set is not always stricter: its negated class [!a] takes 'A', which the set's reads as
        // [^aA]. Such a match counts only if the set's alternation matches too, as it always did.
        String lower = GlobMatcher.accepts(normalizedPath) ? GlobMatcher.lowerAscii(normalizedPath) : null;
        for (int i = 0; i < globs.size(); i++) {
            Glob glob = globs.get(i);
            if (glob.matchesNormalized(normalizedPath, lower)) {
                return glob.caseInsensitive() == caseInsensitive
                                || any.matcher(normalizedPath).matches()
                        ? i
                        : -1;
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
