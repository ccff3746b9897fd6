package dev.loopline.gate.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.gate.approval.ApprovalListener;
import dev.loopline.gate.approval.ApprovalNotice;
import dev.loopline.gate.approval.ApprovalNotice.State;
import dev.loopline.gate.pr.PullRequestListener;
import dev.loopline.gate.repository.SlackMessageRepository;
import dev.loopline.schemas.json.Json;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The listeners the approvals side calls, against stand-ins checked for the documented request shapes: Slack's
 * chat.postMessage and chat.update, a signed outbound webhook, GitHub's pulls API.
 */
@QuarkusTest
@TestProfile(SlackProfile.class)
class ApprovalListenersTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    @Any
    Instance<ApprovalListener> listeners;

    @Inject
    SlackNotifier slackNotifier;

    @Inject
    SlackConfig slackConfig;

    @Inject
    OutboundExecutor outbound;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OutboundWebhooks webhooks;

    @Inject
    PullRequestListener pullRequests;

    private StandIn standIn;

    @BeforeEach
    void routes() {
        standIn = SlackProfile.Resource.standIn;
        standIn.route(
                "POST",
                "/slack/api/chat.postMessage",
                r -> new StandIn.Answer(
                        200, "{\"ok\":true,\"channel\":\"C0PLATFORM\",\"ts\":\"1700000000.000100\",\"message\":{}}"));
        standIn.route(
                "POST",
                "/slack/api/chat.update",
                r -> new StandIn.Answer(200, "{\"ok\":true,\"channel\":\"C0PLATFORM\",\"ts\":\"1700000000.000100\"}"));
    }

    private static JsonNode json(StandIn.Request request) {
        try {
            return Json.mapper().readTree(request.body());
        } catch (Exception e) {
            throw new AssertionError(request.body(), e);
        }
    }

    private static String id() {
        return "apr-" + UUID.randomUUID();
    }

    @Test
    void everyIntegrationIsAnApprovalListenerBean() {
        assertThat(listeners.stream().map(l -> l.getClass().getSimpleName().replaceAll("_Subclass|_ClientProxy", "")))
                .contains("SlackNotifier", "OutboundWebhooks", "PullRequestListener");
    }

    @Test
    void slackMessageIsPostedWithButtonsThenUpdatedWithTheOutcome() {
        ApprovalNotice open = Notices.open(id(), "https://github.com/acme/widgets.git");
        slackNotifier.opened(open);
        await().atMost(WAIT)
                .until(() -> posts("/slack/api/chat.postMessage", open.id()).size() == 1);
        StandIn.Request post = posts("/slack/api/chat.postMessage", open.id()).get(0);
        assertThat(post.header("Authorization")).isEqualTo("Bearer xoxb-test-bot-token");
        assertThat(post.header("Content-Type")).startsWith("application/json");
        JsonNode body = json(post);
        assertThat(body.path("channel").asText()).isEqualTo("C0PLATFORM"); // the team's channel
        assertThat(body.path("text").asText()).contains(open.id());
        JsonNode actions = findBlock(body, "actions");
        assertThat(actions.path("elements").path(0).path("action_id").asText()).isEqualTo("loopline_approve");
        assertThat(actions.path("elements").path(0).path("value").asText()).isEqualTo(open.id());
        assertThat(actions.path("elements").path(1).path("action_id").asText()).isEqualTo("loopline_reject");
        assertThat(actions.path("elements").path(2).path("url").asText()).isEqualTo(open.dashboardUrl());
        // the maker's summary cannot inject Slack markup
        assertThat(post.body()).contains("Fix the &lt;b&gt;typo&lt;/b&gt; in the guide &amp; more");
        assertThat(findBlock(body, "section").path("text").path("text").asText())
                .contains("*Summary*");
        assertThat(post.body()).contains("large change");

        slackNotifier.decided(Notices.decided(open, State.MERGED, true, "ship it"));
        await().atMost(WAIT)
                .until(() -> posts("/slack/api/chat.update", open.id()).size() == 1);
        JsonNode update = json(posts("/slack/api/chat.update", open.id()).get(0));
        assertThat(update.path("channel").asText()).isEqualTo("C0PLATFORM");
        assertThat(update.path("ts").asText()).isEqualTo("1700000000.000100");
        assertThat(findBlock(update, "actions").isMissingNode()).isTrue();
        assertThat(update.toString()).contains("Approved and merged").contains("approved by alice via slack: ship it");
    }

    @Test
    void theOutcomeUpdatesTheMessageWhicheverReplicaPostedIt() {
        ApprovalNotice open = Notices.open(id(), "https://github.com/acme/widgets.git");
        slackNotifier.opened(open);
        await().atMost(WAIT)
                .until(() -> posts("/slack/api/chat.postMessage", open.id()).size() == 1);
        // another replica, or this one after a restart: nothing in memory, the same database
        SlackNotifier otherReplica = new SlackNotifier(slackConfig, outbound, new SlackMessageRepository(dataSource));

        otherReplica.decided(Notices.decided(open, State.REJECTED, false, "not now"));

        await().atMost(WAIT)
                .until(() -> posts("/slack/api/chat.update", open.id()).size() == 1);
        JsonNode update = json(posts("/slack/api/chat.update", open.id()).get(0));
        assertThat(update.path("channel").asText()).isEqualTo("C0PLATFORM");
        assertThat(update.path("ts").asText()).isEqualTo("1700000000.000100");
        assertThat(update.toString()).contains("Rejected");
        assertThat(posts("/slack/api/chat.postMessage", open.id())).hasSize(1);
    }

    @Test
    void outcomeOfARequestWhoseMessageWasNeverRecordedIsPostedAnew() {
        ApprovalNotice open = Notices.open(id(), "https://github.com/acme/widgets.git");
        slackNotifier.decided(Notices.decided(open, State.REJECTED, false, "no"));
        await().atMost(WAIT)
                .until(() -> posts("/slack/api/chat.postMessage", open.id()).size() == 1);
        JsonNode post = json(posts("/slack/api/chat.postMessage", open.id()).get(0));
        assertThat(post.path("channel").asText()).isEqualTo("C0PLATFORM");
        assertThat(post.toString()).contains("Rejected");
        assertThat(posts("/slack/api/chat.update", open.id())).isEmpty();
    }

    @Test
    void outboundWebhookIsSignedAndRetriedUntilTheReceiverTakesIt() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        standIn.route(
                "POST",
                "/receiver/a",
                r -> tries.incrementAndGet() < 3 ? new StandIn.Answer(503, "") : new StandIn.Answer(204, ""));
        ApprovalNotice open = Notices.open(id(), "https://github.com/acme/widgets.git");
        webhooks.opened(open);

        await().atMost(WAIT).until(() -> posts("/receiver/a", open.id()).size() == 3);
        List<StandIn.Request> deliveries = posts("/receiver/a", open.id());
        assertThat(deliveries)
                .extracting(r -> r.header("X-Loopline-Delivery"))
                .containsOnly(deliveries.get(0).header("X-Loopline-Delivery"));
        for (StandIn.Request d : deliveries) {
            assertThat(d.header("X-Loopline-Event")).isEqualTo("approval.opened");
            String ts = d.header("X-Loopline-Timestamp");
            assertThat(Long.parseLong(ts))
                    .isBetween(
                            Instant.now().getEpochSecond() - 60, Instant.now().getEpochSecond());
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SlackProfile.WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = "v1="
                    + HexFormat.of()
                            .formatHex(mac.doFinal(("v1:" + ts + ":" + d.body()).getBytes(StandardCharsets.UTF_8)));
            assertThat(d.header("X-Loopline-Signature")).isEqualTo(expected);
            JsonNode body = json(d);
            assertThat(body.path("event").asText()).isEqualTo("approval.opened");
            assertThat(body.path("approval").path("id").asText()).isEqualTo(open.id());
            assertThat(body.path("approval").path("diffSha256").asText()).isEqualTo(open.diffSha256());
        }
    }

    @Test
    void webhookReceiverThatRefusesIsNotRetriedAndNeverBlocksTheCaller() {
        // a receiver that takes 3 s to refuse (a try times out at 5 s): the decision does not wait for it
        standIn.route("POST", "/receiver/a", r -> {
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new StandIn.Answer(400, "{}");
        });
        ApprovalNotice open = Notices.open(id(), "https://github.com/acme/widgets.git");
        long start = System.nanoTime();
        webhooks.decided(Notices.decided(open, State.REJECTED, false, "no"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
        await().atMost(WAIT).until(() -> posts("/receiver/a", open.id()).size() == 1);
        await().during(Duration.ofMillis(500))
                .atMost(WAIT)
                .until(() -> posts("/receiver/a", open.id()).size() == 1);
    }

    @Test
    void githubPullRequestIsOpenedThenCommentedAndClosedOnRejection() {
        ApprovalNotice open = Notices.open(id(), "https://github.com/acme/widgets.git");
        standIn.route(
                "POST",
                "/github/repos/acme/widgets/pulls",
                r -> new StandIn.Answer(
                        201, "{\"number\":42,\"html_url\":\"https://github.com/acme/widgets/pull/42\"}"));
        standIn.route(
                "GET",
                "/github/repos/acme/widgets/pulls",
                r -> new StandIn.Answer(
                        200,
                        r.query().contains("head=acme%3A" + open.branch().replace("/", "%2F"))
                                ? "[{\"number\":42,\"state\":\"open\"}]"
                                : "[]"));
        standIn.route("POST", "/github/repos/acme/widgets/issues/42/comments", r -> new StandIn.Answer(201, "{}"));
        standIn.route("PATCH", "/github/repos/acme/widgets/pulls/42", r -> new StandIn.Answer(200, "{}"));

        pullRequests.opened(open);
        await().atMost(WAIT)
                .until(() ->
                        posts("/github/repos/acme/widgets/pulls", open.id()).size() == 1);
        StandIn.Request create =
                posts("/github/repos/acme/widgets/pulls", open.id()).get(0);
        assertThat(create.header("Authorization")).isEqualTo("Bearer ghp-test-token");
        assertThat(create.header("Accept")).isEqualTo("application/vnd.github+json");
        assertThat(create.header("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
        JsonNode pr = json(create);
        assertThat(pr.path("head").asText()).isEqualTo(open.branch());
        assertThat(pr.path("base").asText()).isEqualTo("main");
        assertThat(pr.path("title").asText()).startsWith("loopline(docs-loop): ");
        assertThat(pr.path("body").asText())
                .contains("[" + open.tickId() + "](" + open.dashboardUrl() + ")")
                .contains("`diff.large`: large change")
                .contains("loopline approve " + open.id())
                .contains("/loopline approve " + open.id());

        pullRequests.decided(Notices.decided(open, State.REJECTED, false, "too risky"));
        await().atMost(WAIT).until(() -> !standIn.requests("PATCH", "/github/repos/acme/widgets/pulls/42")
                .isEmpty());
        JsonNode comment = json(standIn.requests("POST", "/github/repos/acme/widgets/issues/42/comments").stream()
                .filter(r -> r.body().contains("too risky"))
                .findFirst()
                .orElseThrow());
        assertThat(comment.path("body").asText())
                .startsWith("Rejected in Loopline; closing.")
                .contains("rejected by alice via slack");
        StandIn.Request close =
                standIn.requests("PATCH", "/github/repos/acme/widgets/pulls/42").get(0);
        assertThat(json(close).path("state").asText()).isEqualTo("closed");
        assertThat(close.header("Authorization")).isEqualTo("Bearer ghp-test-token");
    }

    private List<StandIn.Request> posts(String path, String approvalId) {
        return standIn.requests("POST", path).stream()
                .filter(r -> r.body().contains(approvalId))
                .toList();
    }

    private static JsonNode findBlock(JsonNode message, String type) {
        for (JsonNode block : message.path("blocks")) {
            if (type.equals(block.path("type").asText())) {
                return block;
            }
        }
        return Json.mapper().missingNode();
    }
}
