package dev.loopline.scheduler.webhook;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.jboss.logging.Logger;

/** Forgets deliveries older than the retention, so the replay table stays small. */
@ApplicationScoped
public class WebhookJobs {

    private static final Logger LOG = Logger.getLogger(WebhookJobs.class);

    private final WebhookDeliveryRepository deliveries;
    private final WebhookConfig config;
    private final Clock clock;

    public WebhookJobs(WebhookDeliveryRepository deliveries, WebhookConfig config, Clock clock) {
        this.deliveries = deliveries;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(
            every = "{loopline.scheduler.webhooks.prune-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void prune() {
        int deleted = pruneExpired();
        if (deleted > 0) {
            LOG.infof("pruned %d webhook deliveries older than %s", deleted, config.retention());
        }
    }

    /** Deletes deliveries older than the retention; returns how many. */
    public int pruneExpired() {
        return deliveries.pruneBefore(clock.instant().minus(config.retention()));
    }
}
