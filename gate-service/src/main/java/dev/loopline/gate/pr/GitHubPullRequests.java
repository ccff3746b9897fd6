package dev.loopline.gate.pr;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.loopline.gate.approval.ApprovalNotice;
import dev.loopline.gate.chat.JsonHttp;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * GitHub's REST API (v3): {@code POST /repos/{owner}/{repo}/pulls} from the gate's branch, {@code POST
 * /repos/{owner}/{repo}/issues/{number}/comments} with the outcome, {@code PATCH /repos/{owner}/{repo}/pulls/{number}}
 * {@code state=closed} unless merged. The pull request is found again by its head branch, so any replica can close
 * what another opened; a second open of the same branch (redelivery, two replicas) is GitHub's 422, taken as done.
 */
public final class GitHubPullRequests implements PullRequestProvider {

    public static final URI DEFAULT_API = URI.create("https://api.github.com");

    /** The request bodies, as GitHub documents them. */
    record Create(
            String title,
            String head,
            String base,
            String body,
            @JsonProperty("maintainer_can_modify") boolean maintainerCanModify) {}

    record Comment(String body) {}

    record State(String state) {}

    private final HostApi api;

    public GitHubPullRequests(URI api, String token, JsonHttp http) {
        this.api = new HostApi(
                "GitHub",
                api,
                Map.of(
                        "Authorization", "Bearer " + token,
                        "Accept", "application/vnd.github+json",
                        "X-GitHub-Api-Version", "2022-11-28"),
                http);
    }

    @Override
    public void open(ApprovalNotice n) throws IOException {
        String repo = repo(n);
        JsonHttp.Reply reply = api.call(
                "POST",
                "/repos/" + repo + "/pulls",
                new Create(PullRequestText.title(n), n.branch(), n.baseRef(), PullRequestText.description(n), false));
        if (reply.ok() || (reply.status() == 422 && findNumber(repo, n) > 0)) {
            return;
        }
        throw new IOException("GitHub answered " + reply.status() + " to opening the pull request of " + n.branch());
    }

    @Override
    public void close(ApprovalNotice n) throws IOException {
        String repo = repo(n);
        long number = findNumber(repo, n);
        if (number <= 0) {
            throw new IOException("GitHub has no pull request from " + n.branch() + " in " + repo);
        }
        api.expect(
                "POST",
                "/repos/" + repo + "/issues/" + number + "/comments",
                new Comment(PullRequestText.decision(n)),
                "commenting on pull request " + number);
        if (n.state() != ApprovalNotice.State.MERGED) {
            api.expect(
                    "PATCH",
                    "/repos/" + repo + "/pulls/" + number,
                    new State("closed"),
                    "closing pull request " + number);
        }
    }

    private long findNumber(String repo, ApprovalNotice n) throws IOException {
        String owner = repo.substring(0, repo.indexOf('/'));
        String head = URLEncoder.encode(owner + ":" + n.branch(), StandardCharsets.UTF_8);
        return api.expect(
                        "GET",
                        "/repos/" + repo + "/pulls?state=all&head=" + head,
                        null,
                        "finding the pull request of " + n.branch())
                .json()
                .path(0)
                .path("number")
                .asLong(0);
    }

    private static String repo(ApprovalNotice n) throws IOException {
        String path = RepositoryPath.of(n.repo())
                .orElseThrow(() -> new IOException("not a GitHub repository URL: " + n.repo()));
        if (path.chars().filter(c -> c == '/').count() != 1) {
            throw new IOException("not an owner/name GitHub repository: " + path);
        }
        return path;
    }
}
