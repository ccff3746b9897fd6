package dev.loopline.gate.chat;

import dev.loopline.gate.approval.ApprovalListener;
import dev.loopline.gate.approval.ApprovalNotice;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Posts an interactive message to Slack when an approval request opens and shows the outcome when it is decided.
 *
 * <p>With a bot token: {@code chat.postMessage} to the team's or loop's channel, then {@code chat.update} of that
 * message ({@code channel} id and {@code ts} from the post's answer, or from a button click's payload on whichever
 * replica received it). When the replica that decides does not know the message (it was posted by another replica,
 * or before a restart), the outcome is posted as a new message in the same channel instead: a request's message
 * reference is not worth a table, and a second message loses nothing. With only an incoming webhook, both are
 * posts (webhook messages cannot be updated). Nothing here ever throws at the caller.
 */
@ApplicationScoped
public class SlackNotifier implements ApprovalListener {

    static final String TARGET = "slack";

    /** Where a request's message is: a channel id and a message timestamp. */
    public record Posted(String channel, String ts) {}

    private final SlackConfig config;
    private final OutboundExecutor outbound;
    private final JsonHttp http;
    private final Map<String, Posted> posted = new ConcurrentHashMap<>();

    public SlackNotifier(SlackConfig config, OutboundExecutor outbound) {
        this.config = config;
        this.outbound = outbound;
        this.http = new JsonHttp(config.timeout());
    }

    @Override
    public void opened(ApprovalNotice notice) {
        if (!enabled()) {
            return;
        }
        outbound.submit(TARGET, "posting request " + notice.id(), () -> post(notice));
    }

    @Override
    public void decided(ApprovalNotice notice) {
        if (!enabled()) {
            return;
        }
        outbound.submit(TARGET, "showing the outcome of request " + notice.id(), () -> {
            Posted where = posted.remove(notice.id());
            if (where != null && config.botToken().isPresent()) {
                update(notice, where);
            } else {
                post(notice);
            }
        });
    }

    /** Remembers where a request's message is (from a button click's payload), so its outcome can replace it. */
    public void remember(String approvalId, String channel, String ts) {
        if (approvalId != null && channel != null && ts != null) {
            posted.putIfAbsent(approvalId, new Posted(channel, ts));
        }
    }

    Optional<Posted> where(String approvalId) {
        return Optional.ofNullable(posted.get(approvalId));
    }

    private boolean enabled() {
        return config.botToken().filter(t -> !t.isBlank()).isPresent()
                || config.webhookUrl().isPresent();
    }

    private void post(ApprovalNotice notice) throws IOException {
        SlackMessages.Message message = SlackMessages.of(notice);
        Optional<String> token = config.botToken().filter(t -> !t.isBlank());
        if (token.isPresent()) {
            String channel = config.channelFor(notice.team(), notice.loopId())
                    .orElseThrow(() -> new IOException("no Slack channel for team " + notice.team()
                            + ": set loopline.slack.channel (LOOPLINE_SLACK_CHANNEL) or a team/loop channel"));
            JsonHttp.Reply reply = webApi("chat.postMessage", token.get(), message.in(channel, null));
            if (notice.state() == ApprovalNotice.State.OPEN) {
                posted.put(
                        notice.id(),
                        new Posted(
                                reply.json().path("channel").asText(channel),
                                reply.json().path("ts").asText()));
            }
            return;
        }
        URI webhook = config.webhookUrl().orElseThrow();
        JsonHttp.Reply reply = http.send("POST", webhook, Map.of(), message);
        if (!reply.ok()) {
            throw new IOException("incoming webhook " + JsonHttp.redacted(webhook) + " answered " + reply.status());
        }
    }

    private void update(ApprovalNotice notice, Posted where) throws IOException {
        webApi(
                "chat.update",
                config.botToken().orElseThrow(),
                SlackMessages.of(notice).in(where.channel(), where.ts()));
    }

    /** A Web API call: Slack answers 200 with {@code ok: false} and an {@code error} code for most failures. */
    private JsonHttp.Reply webApi(String method, String token, SlackMessages.Message body) throws IOException {
        URI uri = URI.create(config.apiUrl().toString().replaceAll("/+$", "") + "/" + method);
        JsonHttp.Reply reply = http.send("POST", uri, Map.of("Authorization", "Bearer " + token), body);
        if (!reply.ok() || !reply.json().path("ok").asBoolean(false)) {
            throw new IOException("Slack " + method + " answered " + reply.status() + " "
                    + reply.json().path("error").asText("(no error code)"));
        }
        return reply;
    }
}
