package dev.loopline.gate.chat;

import dev.loopline.gate.approval.ApprovalListener;
import dev.loopline.gate.approval.ApprovalNotice;
import dev.loopline.gate.repository.SlackMessageRepository;
import dev.loopline.gate.repository.SlackMessageRepository.Posted;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Posts an interactive message to Slack when an approval request opens and shows the outcome when it is decided.
 *
 * <p>With a bot token: {@code chat.postMessage} to the team's or loop's channel, then {@code chat.update} of that
 * message ({@code channel} id and {@code ts} from the post's answer, or from a button click's payload on whichever
 * replica received it). Where the message is lives in the gate's database ({@link SlackMessageRepository}), so the
 * replica that decides updates it whichever replica posted it, also after a restart. Only when no message was
 * recorded (its post failed, or the database could not be written) is the outcome posted as a new message in the same
 * channel. With only an incoming webhook, both are posts (webhook messages cannot be updated). Nothing here ever
 * throws at the caller.
 */
@ApplicationScoped
public class SlackNotifier implements ApprovalListener {

    static final String TARGET = "slack";

    private static final Logger LOG = Logger.getLogger(SlackNotifier.class);

    private final SlackConfig config;
    private final OutboundExecutor outbound;
    private final JsonHttp http;
    private final SlackMessageRepository messages;

    public SlackNotifier(SlackConfig config, OutboundExecutor outbound, SlackMessageRepository messages) {
        this.config = config;
        this.outbound = outbound;
        this.http = new JsonHttp(config.timeout());
        this.messages = messages;
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
            Optional<Posted> where =
                    config.botToken().filter(t -> !t.isBlank()).isPresent() ? where(notice.id()) : Optional.empty();
            if (where.isPresent()) {
                update(notice, where.get());
            } else {
                post(notice);
            }
        });
    }

    /**
     * Records where a request's message is (from chat.postMessage's answer or a button click's payload), for
     * whichever replica decides the request to replace it with the outcome.
     */
    public void remember(String approvalId, String channel, String ts) {
        if (approvalId != null && channel != null && ts != null && !ts.isBlank()) {
            record(approvalId, new Posted(channel, ts));
        }
    }

    /** Where the request's message is, as any replica recorded it; empty when unknown or unreadable. */
    Optional<Posted> where(String approvalId) {
        try {
            return messages.find(approvalId);
        } catch (IllegalStateException e) {
            LOG.warnf("%s; the outcome is posted as a new message", e.getMessage());
            return Optional.empty();
        }
    }

    /** A message not recorded costs a second message when the request is decided, never the decision. */
    private void record(String approvalId, Posted where) {
        try {
            messages.remember(approvalId, where);
        } catch (IllegalStateException e) {
            LOG.warnf("%s; its outcome will be posted as a new message", e.getMessage());
        }
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
                remember(
                        notice.id(),
                        reply.json().path("channel").asText(channel),
                        reply.json().path("ts").asText());
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
