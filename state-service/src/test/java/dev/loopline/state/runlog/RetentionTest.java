package dev.loopline.state.runlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.state.StateApi;
import dev.loopline.state.TestKafka;
import dev.loopline.state.TickEvents;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Old run events, completed ticks and dead letters are pruned in batches; recent ones stay; ingestion goes on. */
@QuarkusTest
class RetentionTest {

    /** Everything the test calls old is older than this; other tests' rows are all younger. */
    private static final Instant CUTOFF = Instant.parse("2000-01-01T00:00:00Z");

    private static final Instant OLD = Instant.parse("1999-06-01T00:00:00Z");

    @Inject
    RetentionService retention;

    @Inject
    EntityManager em;

    @Test
    void prunesOldRowsInBatchesKeepsRecentOnesWhileIngestionContinues() throws Exception {
        String marker = "ret-" + UUID.randomUUID().toString().substring(0, 8);
        QuarkusTransaction.requiringNew().run(() -> {
            sql(
                    """
                INSERT INTO run_event (id, type, source, time, loop_id, tick_id, team, attempt, payload)
                SELECT gen_random_uuid(), 'loopline.tick.triggered', 'test', CAST(:old AS timestamptz), :m, :m || '-old-' || g,
                       'platform', 0, '{}'::jsonb
                  FROM generate_series(1, 2500) g
                """,
                    marker);
            sql(
                    """
                INSERT INTO run_event (id, type, source, time, loop_id, tick_id, team, attempt, payload)
                VALUES (gen_random_uuid(), 'loopline.tick.triggered', 'test', now(), :m, :m || '-new', 'platform', 0, '{}')
                """,
                    marker);
            sql(
                    """
                INSERT INTO tick (tick_id, loop_id, team, status, started_at, completed_at, updated_at)
                VALUES (:m || '-old-done', :m, 'platform', 'completed', CAST(:old AS timestamptz), CAST(:old AS timestamptz), now()),
                       (:m || '-old-running', :m, 'platform', 'running', CAST(:old AS timestamptz), NULL, now()),
                       (:m || '-new-done', :m, 'platform', 'completed', now(), now(), now())
                """,
                    marker);
            sql(
                    """
                INSERT INTO dead_letter (service, topic, kafka_partition, kafka_offset, reason, payload, time)
                VALUES ('state-service', :m, 0, 1, 'old', 'x', CAST(:old AS timestamptz)),
                       ('state-service', :m, 0, 2, 'new', 'y', now())
                """,
                    marker);
        });

        String loop = TickEvents.newLoopId();
        String tickId = TickEvents.newTickId();
        CompletableFuture<RetentionService.Pruned> pruning =
                CompletableFuture.supplyAsync(() -> retention.prune(CUTOFF, 100));
        TestKafka.send(TickEvents.mergedTick(loop, "platform", tickId, Instant.now()));
        StateApi.awaitTick(tickId, tick -> tick.getInt("timeline.size()") == 5);
        RetentionService.Pruned pruned = pruning.get();

        assertThat(pruned.runEvents()).isGreaterThanOrEqualTo(2500);
        assertThat(pruned.ticks()).isGreaterThanOrEqualTo(1);
        assertThat(pruned.deadLetters()).isGreaterThanOrEqualTo(1);
        QuarkusTransaction.requiringNew().run(() -> {
            assertThat(count("SELECT count(*) FROM run_event WHERE loop_id = :m", marker))
                    .isEqualTo(1);
            assertThat(strings("SELECT tick_id FROM tick WHERE loop_id = :m ORDER BY tick_id", marker))
                    .containsExactly(marker + "-new-done", marker + "-old-running");
            assertThat(strings("SELECT reason FROM dead_letter WHERE topic = :m", marker))
                    .containsExactly("new");
        });
    }

    private void sql(String statement, String marker) {
        var query = em.createNativeQuery(statement).setParameter("m", marker);
        if (statement.contains(":old")) {
            query.setParameter("old", OLD.toString());
        }
        query.executeUpdate();
    }

    private long count(String statement, String marker) {
        return ((Number) em.createNativeQuery(statement)
                        .setParameter("m", marker)
                        .getSingleResult())
                .longValue();
    }

    @SuppressWarnings("unchecked")
    private java.util.List<String> strings(String statement, String marker) {
        return em.createNativeQuery(statement).setParameter("m", marker).getResultList();
    }
}
