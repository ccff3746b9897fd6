package dev.loopline.gate.pr;

import java.net.URI;
import java.util.Optional;

/**
 * The project path a Git host's API knows a repository by ({@code owner/name}, or {@code group/sub/name} on GitLab),
 * from the clone URL the loop spec names: {@code https://host/owner/name(.git)}, {@code ssh://git@host/owner/name.git}
 * or {@code git@host:owner/name.git}.
 */
public final class RepositoryPath {

    private RepositoryPath() {}

    public static Optional<String> of(String cloneUrl) {
        if (cloneUrl == null || cloneUrl.isBlank()) {
            return Optional.empty();
        }
        String url = cloneUrl.strip();
        String path;
        int scp = url.indexOf(':');
        if (!url.contains("://") && scp > 0 && url.substring(0, scp).contains("@")) {
            path = url.substring(scp + 1);
        } else {
            try {
                URI uri = URI.create(url);
                if (uri.getHost() == null || "file".equals(uri.getScheme())) {
                    return Optional.empty();
                }
                path = uri.getPath();
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        if (path == null) {
            return Optional.empty();
        }
        path = path.replaceAll("^/+", "").replaceAll("/+$", "");
        if (path.endsWith(".git")) {
            path = path.substring(0, path.length() - 4);
        }
        return path.contains("/") && !path.contains("..") ? Optional.of(path) : Optional.empty();
    }
}
