package dev.loopline.gate.chat;

import dev.loopline.gate.approval.ApprovalListener;
import dev.loopline.gate.approval.ApprovalNotice;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Posts every opened and decided approval request as JSON to the configured receivers, signed so a receiver can
 * check it came from this gate:
 *
 * <pre>
 * X-Loopline-Event: approval.opened | approval.decided
 * X-Loopline-Delivery: &lt;UUID, the same for every try of one delivery&gt;
 * X-Loopline-Timestamp: &lt;Unix seconds when this try was sent&gt;
 * X-Loopline-Signature: v1=&lt;hex HMAC-SHA256(secret, "v1:" + timestamp + ":" + raw body)&gt;
 * </pre>
 *
 * A receiver recomputes the HMAC over the raw body, compares in constant time, refuses timestamps more than five
 * minutes away and remembers delivery ids to drop repeats. Deliveries run on the outbound threads with bounded,
 * doubling retries; a receiver that stays down loses that delivery (logged and counted), never the decision.
 */
@ApplicationScoped
public class OutboundWebhooks implements ApprovalListener {

    static final String TARGET = "webhook";
    static final String SIGNATURE_VERSION = "v1";
    private static final Logger LOG = Logger.getLogger(OutboundWebhooks.class);

    /** The body: what happened and the request as it is now. */
    public record Delivery(String event, ApprovalNotice approval) {}

    private final OutboundWebhookConfig config;
    private final OutboundExecutor outbound;
    private final Clock clock;
    private final JsonHttp http;

    public OutboundWebhooks(OutboundWebhookConfig config, OutboundExecutor outbound, Clock clock) {
        this.config = config;
        this.outbound = outbound;
        this.clock = clock;
        this.http = new JsonHttp(config.timeout());
    }

    @Override
    public void opened(ApprovalNotice notice) {
        deliver("approval.opened", notice);
    }

    @Override
    public void decided(ApprovalNotice notice) {
        deliver("approval.decided", notice);
    }

    private void deliver(String event, ApprovalNotice notice) {
        List<URI> urls = config.urls().orElse(List.of());
        if (urls.isEmpty()) {
            return;
        }
        String secret = config.secret().filter(s -> !s.isBlank()).orElse(null);
        if (secret == null) {
            outbound.count(TARGET, "unsigned-refused");
            LOG.warn("outbound webhooks are configured without loopline.outbound-webhooks.secret"
                    + " (LOOPLINE_OUTBOUND_WEBHOOKS_SECRET): nothing is sent unsigned");
            return;
        }
        String body = JsonHttp.toJson(new Delivery(event, notice));
        String id = UUID.nameUUIDFromBytes(
                        (notice.id() + "/" + event + "/" + notice.state()).getBytes(StandardCharsets.UTF_8))
                .toString();
        for (URI url : urls) {
            attempt(url, event, id, body, secret, 1);
        }
    }

    private void attempt(URI url, String event, String id, String body, String secret, int attempt) {
        Duration delay = attempt == 1 ? Duration.ZERO : config.backoff().multipliedBy(1L << (attempt - 2));
        outbound.schedule(delay, () -> {
            String failure;
            try {
                String timestamp = Long.toString(clock.instant().getEpochSecond());
                JsonHttp.Reply reply = http.sendRaw(
                        "POST",
                        url,
                        Map.of(
                                "X-Loopline-Event", event,
                                "X-Loopline-Delivery", id,
                                "X-Loopline-Timestamp", timestamp,
                                "X-Loopline-Signature", sign(secret, timestamp, body)),
                        body);
                if (reply.ok()) {
                    outbound.count(TARGET, "delivered");
                    return;
                }
                failure = "answered " + reply.status();
                if (reply.status() < 500 && reply.status() != 429) {
                    outbound.count(TARGET, "failed");
                    LOG.warnf("%s %s to %s %s; not retried", event, id, JsonHttp.redacted(url), failure);
                    return;
                }
            } catch (IOException | RuntimeException e) {
                failure = e.getMessage();
            }
            if (attempt >= config.maxAttempts()) {
                outbound.count(TARGET, "failed");
                LOG.warnf(
                        "%s %s to %s: %s; gave up after %d tries", event, id, JsonHttp.redacted(url), failure, attempt);
                return;
            }
            outbound.count(TARGET, "retried");
            attempt(url, event, id, body, secret, attempt + 1);
        });
    }

    /** {@code v1=<hex HMAC-SHA256(secret, "v1:<timestamp>:<body>")>}. */
    public static String sign(String secret, String timestamp, String body) {
        return SIGNATURE_VERSION + "="
                + HexFormat.of()
                        .formatHex(SlackSignature.hmac(
                                secret, SIGNATURE_VERSION, timestamp, body.getBytes(StandardCharsets.UTF_8)));
    }
}
