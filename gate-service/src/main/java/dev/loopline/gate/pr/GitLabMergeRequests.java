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
 * GitLab's REST API (v4): {@code POST /projects/:id/merge_requests} from the gate's branch, {@code POST
 * /projects/:id/merge_requests/:iid/notes} with the outcome, {@code PUT /projects/:id/merge_requests/:iid} {@code
 * state_event=close} unless merged; {@code :id} is the URL-encoded project path. The merge request is found again by
 * its source branch; GitLab's 409 for a second open of the same branch is taken as done.
 */
public final class GitLabMergeRequests implements PullRequestProvider {

    public static final URI DEFAULT_API = URI.create("https://gitlab.com/api/v4");

    /** The request bodies, as GitLab documents them. */
    record Create(
            @JsonProperty("source_branch") String sourceBranch,
            @JsonProperty("target_branch") String targetBranch,
            String title,
            String description,
            @JsonProperty("remove_source_branch") boolean removeSourceBranch) {}

    record Note(String body) {}

    record StateEvent(@JsonProperty("state_event") String stateEvent) {}

    private final HostApi api;

    public GitLabMergeRequests(URI api, String token, JsonHttp http) {
        this.api = new HostApi("GitLab", api, Map.of("PRIVATE-TOKEN", token), http);
    }

    @Override
    public void open(ApprovalNotice n) throws IOException {
        JsonHttp.Reply reply = api.call(
                "POST",
                "/projects/" + project(n) + "/merge_requests",
                new Create(n.branch(), n.baseRef(), PullRequestText.title(n), PullRequestText.description(n), false));
        if (reply.ok() || reply.status() == 409) {
            return;
        }
        throw new IOException("GitLab answered " + reply.status() + " to opening the merge request of " + n.branch());
    }

    @Override
    public void close(ApprovalNotice n) throws IOException {
        String requests = "/projects/" + project(n) + "/merge_requests";
        long iid = api.expect(
                        "GET",
                        requests + "?state=all&source_branch=" + URLEncoder.encode(n.branch(), StandardCharsets.UTF_8),
                        null,
                        "finding the merge request of " + n.branch())
                .json()
                .path(0)
                .path("iid")
                .asLong(0);
        if (iid <= 0) {
            throw new IOException("GitLab has no merge request from " + n.branch());
        }
        api.expect(
                "POST",
                requests + "/" + iid + "/notes",
                new Note(PullRequestText.decision(n)),
                "commenting on merge request !" + iid);
        if (n.state() != ApprovalNotice.State.MERGED) {
            api.expect("PUT", requests + "/" + iid, new StateEvent("close"), "closing merge request !" + iid);
        }
    }

    private static String project(ApprovalNotice n) throws IOException {
        return URLEncoder.encode(
                RepositoryPath.of(n.repo())
                        .orElseThrow(() -> new IOException("not a GitLab repository URL: " + n.repo())),
                StandardCharsets.UTF_8);
    }
}
