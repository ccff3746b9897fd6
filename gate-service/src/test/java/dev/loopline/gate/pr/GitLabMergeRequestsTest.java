package dev.loopline.gate.pr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.gate.approval.ApprovalNotice;
import dev.loopline.gate.approval.ApprovalNotice.State;
import dev.loopline.gate.chat.JsonHttp;
import dev.loopline.gate.chat.Notices;
import dev.loopline.gate.chat.StandIn;
import dev.loopline.schemas.json.Json;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GitLab's merge requests API (v4) against a stand-in checked for the documented paths, headers and fields. */
class GitLabMergeRequestsTest {

    private static final String PROJECT = "/gitlab/projects/acme%2Fplatform%2Fwidgets";

    private StandIn gitlab;
    private GitLabMergeRequests provider;

    @BeforeEach
    void start() throws IOException {
        gitlab = new StandIn();
        provider = new GitLabMergeRequests(
                URI.create(gitlab.url() + "/gitlab"), "glpat-test-token", new JsonHttp(Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() {
        gitlab.close();
    }

    private static JsonNode json(StandIn.Request r) throws IOException {
        return Json.mapper().readTree(r.body());
    }

    @Test
    void opensAMergeRequestFromTheGatesBranchAndAnExistingOneIsFine() throws Exception {
        ApprovalNotice open = Notices.open("apr-gl-1", "git@gitlab.example.com:acme/platform/widgets.git");
        gitlab.route("POST", PROJECT + "/merge_requests", r -> new StandIn.Answer(201, "{\"iid\":7}"));
        provider.open(open);

        StandIn.Request create =
                gitlab.requests("POST", PROJECT + "/merge_requests").get(0);
        assertThat(create.header("PRIVATE-TOKEN")).isEqualTo("glpat-test-token");
        JsonNode body = json(create);
        assertThat(body.path("source_branch").asText()).isEqualTo(open.branch());
        assertThat(body.path("target_branch").asText()).isEqualTo("main");
        assertThat(body.path("title").asText()).startsWith("loopline(docs-loop): Fix the");
        assertThat(body.path("description").asText())
                .contains("loopline approve apr-gl-1")
                .contains("large change");
        assertThat(body.path("remove_source_branch").asBoolean(true)).isFalse();

        gitlab.route("POST", PROJECT + "/merge_requests", r -> new StandIn.Answer(409, "{\"message\":[\"exists\"]}"));
        provider.open(open); // a second replica or a redelivery: no error
    }

    @Test
    void commentsAndClosesOnRejectionButOnlyCommentsOnMerge() throws Exception {
        ApprovalNotice open = Notices.open("apr-gl-2", "https://gitlab.example.com/acme/platform/widgets.git");
        gitlab.route(
                "GET",
                PROJECT + "/merge_requests",
                r -> new StandIn.Answer(
                        200,
                        r.query().contains("source_branch=loopline%2Fdocs-loop%2Ftick-apr-gl-2")
                                ? "[{\"iid\":7}]"
                                : "[]"));
        gitlab.route("POST", PROJECT + "/merge_requests/7/notes", r -> new StandIn.Answer(201, "{}"));
        gitlab.route("PUT", PROJECT + "/merge_requests/7", r -> new StandIn.Answer(200, "{}"));

        provider.close(Notices.decided(open, State.REJECTED, false, "too risky"));
        StandIn.Request note =
                gitlab.requests("POST", PROJECT + "/merge_requests/7/notes").get(0);
        assertThat(note.header("PRIVATE-TOKEN")).isEqualTo("glpat-test-token");
        assertThat(json(note).path("body").asText())
                .contains("Rejected in Loopline")
                .contains("too risky");
        StandIn.Request close =
                gitlab.requests("PUT", PROJECT + "/merge_requests/7").get(0);
        assertThat(json(close).path("state_event").asText()).isEqualTo("close");

        provider.close(Notices.decided(open, State.MERGED, true, "ship it"));
        assertThat(gitlab.requests("POST", PROJECT + "/merge_requests/7/notes")).hasSize(2);
        assertThat(gitlab.requests("PUT", PROJECT + "/merge_requests/7")).hasSize(1);
    }

    @Test
    void failsLoudlyWhenTheHostRefusesOrTheRepositoryIsNotOnIt() {
        gitlab.route("POST", PROJECT + "/merge_requests", r -> new StandIn.Answer(401, "{}"));
        assertThatThrownBy(() ->
                        provider.open(Notices.open("apr-gl-3", "https://gitlab.example.com/acme/platform/widgets")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("answered 401");
        assertThatThrownBy(() -> provider.open(Notices.open("apr-gl-4", "file:///srv/repos/widgets.git")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a GitLab repository URL");
    }

    @Test
    void repositoryPathsFromCloneUrls() {
        assertThat(RepositoryPath.of("https://github.com/acme/widgets.git")).contains("acme/widgets");
        assertThat(RepositoryPath.of("git@github.com:acme/widgets.git")).contains("acme/widgets");
        assertThat(RepositoryPath.of("ssh://git@gitlab.example.com/acme/platform/widgets.git"))
                .contains("acme/platform/widgets");
        assertThat(RepositoryPath.of("/srv/repos/widgets.git")).isEmpty();
        assertThat(RepositoryPath.of("https://github.com/widgets")).isEmpty();
    }
}
