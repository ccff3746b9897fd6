package dev.loopline.gate.pr;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Pull and merge requests for L2 changes ({@code loopline.pr.*}; env {@code LOOPLINE_PR_PROVIDER}, {@code
 * LOOPLINE_PR_TOKEN}, {@code LOOPLINE_PR_API_URL}). Only gate-service holds the token (from a Secret).
 */
@ConfigMapping(prefix = "loopline.pr")
public interface PullRequestConfig {

    /** Which host's API: {@code local} (plain remotes, the branch only), {@code github} or {@code gitlab}. */
    @WithDefault("local")
    Provider provider();

    /** GitHub: a token with pull-request write access; GitLab: a token with the {@code api} scope. */
    Optional<String> token();

    /** The host's API root; default {@code https://api.github.com} or {@code https://gitlab.com/api/v4}. */
    Optional<URI> apiUrl();

    /** Connect and answer timeout of each API call. */
    @WithDefault("10s")
    Duration timeout();

    enum Provider {
        LOCAL,
        GITHUB,
        GITLAB
    }
}
