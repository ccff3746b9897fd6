package dev.loopline.scheduler.webhook;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Signed webhooks ({@code loopline.scheduler.webhooks.*}). A source without a secret is switched off: its
 * endpoint refuses every delivery (fail closed).
 */
@ConfigMapping(prefix = "loopline.scheduler.webhooks")
public interface WebhookConfig {

    /** GitHub: the webhook secret, the HMAC-SHA256 key of {@code X-Hub-Signature-256}. */
    Source github();

    /** GitLab: the secret token GitLab sends verbatim in {@code X-Gitlab-Token}. */
    Source gitlab();

    /** Larger request bodies are refused with 413 before their signature is computed. */
    @WithDefault("1M")
    MemorySize maxBodySize();

    /** Delivery ids (and body hashes) are remembered this long; an older replay is no longer recognised. */
    @WithDefault("7d")
    Duration retention();

    /** How often deliveries older than {@link #retention()} are deleted. */
    @WithDefault("1h")
    Duration pruneInterval();

    interface Source {
        /** From the environment ({@code LOOPLINE_SCHEDULER_WEBHOOKS_GITHUB_SECRET} ...); never logged. */
        Optional<String> secret();
    }
}
