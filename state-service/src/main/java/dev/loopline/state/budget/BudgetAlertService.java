package dev.loopline.state.budget;

import dev.loopline.schemas.control.BudgetAlert;
import dev.loopline.schemas.control.ControlCodec;
import dev.loopline.state.control.ControlProducer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Tells the world about budget threshold crossings, after the reservation that caused them committed: publishes
 * each on {@code loopline.control} and, when configured, POSTs it to the webhook. Runs off the request thread, so
 * a slow broker or webhook never slows a reservation. A crossing stays unpublished until the broker acknowledged it
 * and is retried on a schedule; the webhook is best effort (a failure is logged, not retried).
 */
@ApplicationScoped
public class BudgetAlertService {

    private static final Logger LOG = Logger.getLogger(BudgetAlertService.class);

    /** A crossing younger than this is left to its after-commit dispatch. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(20);

    @Inject
    ControlProducer producer;

    @Inject
    BudgetThresholdRepository thresholds;

    @Inject
    BudgetConfig config;

    @Inject
    Clock clock;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * One thread: crossings of a scope are published in the order they were committed, and each publishes the
     * highest level its scope-day has reached, so the latest record of a key on the compacted topic is never
     * lower than an earlier one.
     */
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "budget-alerts");
        thread.setDaemon(true);
        return thread;
    });

    void onCrossed(@Observes(during = TransactionPhase.AFTER_SUCCESS) BudgetThreshold.Crossing crossing) {
        dispatcher.execute(() -> dispatch(crossing));
    }

    @PreDestroy
    void stop() {
        dispatcher.shutdown();
    }

    @Scheduled(
            every = "{loopline.budget.alert-retry-interval}",
            delayed = "{loopline.budget.alert-retry-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retryUnpublished() {
        List<BudgetThreshold.Crossing> pending = QuarkusTransaction.requiringNew()
                .call(() -> thresholds.unpublished(clock.instant().minus(RETRY_AFTER), 100));
        pending.forEach(c -> dispatcher.execute(() -> dispatch(c)));
    }

    /** Publishes one crossing and marks it published; a broker failure leaves it for the retry job. */
    void dispatch(BudgetThreshold.Crossing crossing) {
        BudgetAlert alert = crossing.alert();
        try {
            BudgetThreshold.Crossing highest = QuarkusTransaction.requiringNew()
                    .call(() -> thresholds.highest(crossing.scope(), crossing.day()))
                    .orElse(crossing);
            producer.publish(highest.alert());
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Could not publish budget %s of %s (will retry): %s",
                    alert.action().wireName(), crossing.scope(), e);
            return;
        }
        LOG.infof(
                "Budget %s: %s reached %d%%: %s",
                alert.action().wireName(), crossing.scope(), alert.percent(), crossing.describe());
        config.webhookUrl().ifPresent(url -> post(url, alert));
        QuarkusTransaction.requiringNew().run(() -> thresholds.markPublished(crossing, clock.instant()));
    }

    private void post(URI url, BudgetAlert alert) {
        try {
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(config.webhookTimeout())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(ControlCodec.encode(alert)))
                    .build();
            int status =
                    http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 != 2) {
                LOG.warnf(
                        "Budget webhook answered %d for %s of %s",
                        status, alert.action().wireName(), alert.key());
            }
        } catch (IOException | RuntimeException e) {
            // the URL may carry a secret (chat webhooks do): log the host only
            LOG.warnf("Budget webhook at %s failed for %s: %s", url.getHost(), alert.key(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
