package dev.loopline.scheduler.service;

import dev.loopline.core.io.Git;
import dev.loopline.core.io.GitException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Loop specs kept in a git repository: a shallow checkout of one branch that {@link #sync()} brings to the branch's
 * latest commit before every reload of the specs. When the remote cannot be reached the last checkout stays in use
 * (and the loops with it), so a network blip never unregisters loops.
 */
public final class GitSpecSource {

    private static final Logger LOG = Logger.getLogger(GitSpecSource.class);

    private final Git git;
    private final String url;
    /** The URL as logged: any user info (a token someone put in it after all) replaced. */
    private final String shown;

    private final String ref;
    private final Path checkout;
    private volatile String commit;

    /**
     * @param url anything {@code git clone} accepts (a path, file://, https://, ssh://); credentials belong in the
     *     git credential helper or the SSH agent, never in the URL
     * @param ref the branch to follow
     * @param checkout a directory this source owns (created; its content is replaced)
     */
    public GitSpecSource(Git git, String url, String ref, Path checkout) {
        this.git = Objects.requireNonNull(git, "git");
        this.url = Objects.requireNonNull(url, "url");
        this.shown = redacted(url);
        this.ref = Objects.requireNonNull(ref, "ref");
        this.checkout = Objects.requireNonNull(checkout, "checkout");
    }

    /**
     * Fetches the branch and checks its latest commit out. Never throws: a failure is logged and the previous
     * checkout (if any) stays.
     *
     * @return the commit the checkout is at, empty before the first successful sync
     */
    public Optional<String> sync() {
        try {
            if (!Files.isDirectory(checkout.resolve(".git"))) {
                Files.createDirectories(checkout.getParent());
                deleteIfEmpty();
                git.run(
                        checkout.getParent(),
                        "clone",
                        "--quiet",
                        "--no-tags",
                        "--depth",
                        "1",
                        "--branch",
                        ref,
                        "--",
                        url,
                        checkout.toString());
            } else {
                git.run(checkout, "fetch", "--quiet", "--no-tags", "--depth", "1", "origin", "--", ref);
                git.run(checkout, "checkout", "--quiet", "--force", "--detach", "FETCH_HEAD");
                git.run(checkout, "clean", "-q", "-d", "-f", "-x");
            }
            String now = git.revParse(checkout, "HEAD");
            if (!now.equals(commit)) {
                LOG.infof("loop specs from %s (%s) at commit %s", shown, ref, now);
            }
            commit = now;
        } catch (GitException | IOException | UncheckedIOException e) {
            LOG.warnf(
                    "cannot update the loop specs from %s (%s): %s; %s",
                    shown,
                    ref,
                    e.getMessage().replace(url, shown),
                    commit == null ? "no specs until it succeeds" : "keeping commit " + commit);
        }
        return commit();
    }

    /** The commit of the last successful sync. */
    public Optional<String> commit() {
        return Optional.ofNullable(commit);
    }

    public Path checkout() {
        return checkout;
    }

    static String redacted(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return url;
        }
        int hostStart = scheme + 3;
        int at = url.indexOf('@', hostStart);
        int slash = url.indexOf('/', hostStart);
        if (at < 0 || (slash >= 0 && at > slash)) {
            return url;
        }
        return url.substring(0, hostStart) + "***@" + url.substring(at + 1);
    }

    private void deleteIfEmpty() throws IOException {
        if (Files.isDirectory(checkout)) {
            try (var entries = Files.list(checkout)) {
                if (entries.findAny().isPresent()) {
                    throw new IOException(checkout + " exists and is not a git checkout; remove it or choose"
                            + " another loopline.scheduler.spec-repo.checkout");
                }
            }
            Files.delete(checkout);
        }
    }
}
