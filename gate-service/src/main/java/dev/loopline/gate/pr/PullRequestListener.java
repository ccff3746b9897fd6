package dev.loopline.gate.pr;

import dev.loopline.gate.approval.ApprovalListener;
import dev.loopline.gate.approval.ApprovalNotice;
import dev.loopline.gate.chat.JsonHttp;
import dev.loopline.gate.chat.OutboundExecutor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Opens a pull (GitHub) or merge (GitLab) request when an approval request opens, and comments the outcome and closes
 * it when decided; with the {@code local} provider (the default) the pushed branch is all there is. Calls run on the
 * outbound threads: a Git host that is down costs the pull request, never the approval.
 */
@ApplicationScoped
public class PullRequestListener implements ApprovalListener {

    static final String TARGET = "pull-request";
    private static final Logger LOG = Logger.getLogger(PullRequestListener.class);

    private final Optional<PullRequestProvider> provider;
    private final OutboundExecutor outbound;

    public PullRequestListener(PullRequestConfig config, OutboundExecutor outbound) {
        this.outbound = outbound;
        this.provider = provider(config);
    }

    static Optional<PullRequestProvider> provider(PullRequestConfig config) {
        if (config.provider() == PullRequestConfig.Provider.LOCAL) {
            return Optional.empty();
        }
        Optional<String> token = config.token().filter(t -> !t.isBlank());
        if (token.isEmpty()) {
            LOG.errorf(
                    "loopline.pr.provider=%s needs loopline.pr.token (LOOPLINE_PR_TOKEN): no pull requests will be"
                            + " opened, the branches are still pushed",
                    config.provider());
            return Optional.empty();
        }
        JsonHttp http = new JsonHttp(config.timeout());
        return Optional.of(
                config.provider() == PullRequestConfig.Provider.GITHUB
                        ? new GitHubPullRequests(
                                config.apiUrl().orElse(GitHubPullRequests.DEFAULT_API), token.get(), http)
                        : new GitLabMergeRequests(
                                config.apiUrl().orElse(GitLabMergeRequests.DEFAULT_API), token.get(), http));
    }

    @Override
    public void opened(ApprovalNotice notice) {
        provider.ifPresent(
                p -> outbound.submit(TARGET, "opening the pull request of " + notice.branch(), () -> p.open(notice)));
    }

    @Override
    public void decided(ApprovalNotice notice) {
        provider.ifPresent(
                p -> outbound.submit(TARGET, "closing the pull request of " + notice.branch(), () -> p.close(notice)));
    }
}
