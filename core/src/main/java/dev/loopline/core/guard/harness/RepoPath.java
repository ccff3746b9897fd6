package dev.loopline.core.guard.harness;

import java.util.Locale;

/** Repository-relative paths as a command names them. */
final class RepoPath {

    private RepoPath() {}

    /**
     * {@code ./scripts//test.sh} → {@code scripts/test.sh}; null for a path that leaves the repository or is
     * absolute (nothing in the change can alter it), or for an empty one.
     */
    static String normalize(String word) {
        if (word == null || word.isEmpty() || word.startsWith("/") || word.startsWith("~")) {
            return null;
        }
        StringBuilder out = new StringBuilder(word.length());
        for (String segment : word.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                return null;
            }
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(segment);
        }
        return out.length() == 0 ? null : out.toString();
    }

    static String basename(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    static String extension(String path) {
        String base = basename(path);
        int dot = base.lastIndexOf('.');
        return dot <= 0 ? "" : base.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
