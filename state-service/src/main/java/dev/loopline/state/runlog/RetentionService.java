package dev.loopline.state.runlog;

import dev.loopline.state.common.StateConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Deletes run events, completed ticks and dead letters older than {@code loopline.state.retention.days}. Each batch
 * ({@code batch-size} rows) is its own short transaction, and rows a writer holds are skipped ({@code SKIP LOCKED})
 * rather than waited for, so ingestion never waits on pruning; no table lock is taken.
 */
@ApplicationScoped
public class RetentionService {

    private static final Logger LOG = Logger.getLogger(RetentionService.class);

    @Inject
    EntityManager em;

    @Inject
    StateConfig config;

    @Inject
    Clock clock;

    /** Rows deleted per table by one pruning. */
    public record Pruned(long runEvents, long ticks, long deadLetters) {}

    @Scheduled(cron = "{loopline.state.retention.cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        Pruned pruned = prune(
                clock.instant().minus(Duration.ofDays(config.retention().days())),
                config.retention().batchSize());
        LOG.infof(
                "Retention: pruned %d run events, %d ticks, %d dead letters older than %d days",
                pruned.runEvents(),
                pruned.ticks(),
                pruned.deadLetters(),
                config.retention().days());
    }

    /** Deletes everything older than {@code cutoff}, {@code batchSize} rows per transaction. */
    public Pruned prune(Instant cutoff, int batchSize) {
        long events = inBatches(
                """
                DELETE FROM run_event WHERE id IN (
                    SELECT id FROM run_event WHERE time < :cutoff LIMIT :batch FOR UPDATE SKIP LOCKED)
                """,
                cutoff,
                batchSize);
        long ticks = inBatches(
                """
                DELETE FROM tick WHERE tick_id IN (
                    SELECT tick_id FROM tick WHERE status = 'completed' AND completed_at < :cutoff
                     LIMIT :batch FOR UPDATE SKIP LOCKED)
                """,
                cutoff,
                batchSize);
        long deadLetters = inBatches(
                """
                DELETE FROM dead_letter WHERE id IN (
                    SELECT id FROM dead_letter WHERE time < :cutoff LIMIT :batch FOR UPDATE SKIP LOCKED)
                """,
                cutoff,
                batchSize);
        return new Pruned(events, ticks, deadLetters);
    }

    private long inBatches(String delete, Instant cutoff, int batchSize) {
        long total = 0;
        int deleted;
        do {
            deleted = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(delete)
                    .setParameter("cutoff", cutoff)
                    .setParameter("batch", batchSize)
                    .executeUpdate());
            total += deleted;
        } while (deleted == batchSize);
        return total;
    }
}
