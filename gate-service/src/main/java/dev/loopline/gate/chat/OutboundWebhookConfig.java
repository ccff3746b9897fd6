package dev.loopline.gate.chat;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Generic outbound webhooks for approval requests ({@code loopline.outbound-webhooks.*}; env {@code
 * LOOPLINE_OUTBOUND_WEBHOOKS_URLS} (comma-separated), {@code LOOPLINE_OUTBOUND_WEBHOOKS_SECRET}): Microsoft Teams
 * (through a workflow), Mattermost, Discord or any receiver that can check an HMAC.
 */
@ConfigMapping(prefix = "loopline.outbound-webhooks")
public interface OutboundWebhookConfig {

    /** Receivers; none = off. */
    Optional<List<URI>> urls();

    /** Key of the {@code X-Loopline-Signature} HMAC; required when URLs are set (nothing is sent unsigned). */
    Optional<String> secret();

    /** Tries per delivery (the first included); 5xx, 429 and network errors are retried, other 4xx are not. */
    @WithDefault("4")
    int maxAttempts();

    /** Wait before the first retry; doubled for each further one. */
    @WithDefault("2s")
    Duration backoff();

    /** Connect and answer timeout of one try. */
    @WithDefault("5s")
    Duration timeout();
}
