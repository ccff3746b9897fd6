package dev.loopline.state.runlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.state.StateApi;
import dev.loopline.state.TestKafka;
import dev.loopline.state.TickEvents;
import dev.loopline.testsupport.KafkaTestClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A tick that stops making progress (its next event never comes: lost, dead-lettered, a stage died) is ended by the
 * deadline sweep, over the real broker and database: {@code halted} with code {@code timeout}, published on the
 * completions topic the scheduler reads, recorded once.
 */
@QuarkusTest
class TickDeadlineTest {

    @Inject
    TickDeadline deadline;

    @Inject
    EntityManager em;

    @Test
    void aTickWithoutProgressPastTheDeadlineEndsHaltedWithTimeoutAndALaterCompletionDoesNotChangeIt() {
        String loopId = TickEvents.newLoopId();
        String tickId = TickEvents.newTickId();
        String fresh = TickEvents.newTickId();
        Instant start = Instant.now();
        // both ticks were triggered and proposed; then nothing more came
        TestKafka.send(TickEvents.mergedTick(loopId, "qa", tickId, start).subList(0, 2));
        TestKafka.send(TickEvents.mergedTick(loopId, "qa", fresh, start).subList(0, 2));
        StateApi.awaitTick(tickId, t -> "running".equals(t.getString("status")));
        StateApi.awaitTick(fresh, t -> "running".equals(t.getString("status")));
        lastChange(tickId, Instant.now().minus(Duration.ofHours(2)));

        try (TestKafka.TopicReader completions =
                new TestKafka.TopicReader(TestKafka.tickTopics().get(4))) {
            List<String> ended = deadline.endStalledTicks(Instant.now());

            assertThat(ended).contains(tickId).doesNotContain(fresh);
            Event published = Awaitility.await()
                    .atMost(StateApi.TIMEOUT)
                    .until(() -> completionOf(completions.poll(), tickId), Optional::isPresent)
                    .orElseThrow();
            assertThat(published.source()).isEqualTo("state-service");
            assertThat(published.attempt()).isEqualTo(1);
            TickCompleted completed = published.dataAs(TickCompleted.class);
            assertThat(completed.outcome()).isEqualTo(TickCompleted.Outcome.HALTED);
            assertThat(completed.halt()).isEqualTo(TickCompleted.Halt.TIMEOUT);
            assertThat(completed.reason())
                    .isEqualTo("no progress for 45 min (last stage seen: running, attempt 1); ended by state-service");
            assertThat(completed.tokens()).isEqualTo(1200);
        }
        JsonPath tick = StateApi.awaitTick(tickId, t -> "completed".equals(t.getString("status")));
        assertThat(tick.getString("outcome")).isEqualTo("halted");

        // the agent's completion of the second attempt arrives after all: recorded, but the tick ended already
        TestKafka.send(TickEvents.event(
                loopId,
                "qa",
                tickId,
                Instant.now().plusSeconds(5),
                2,
                new TickCompleted(TickCompleted.Outcome.MERGED, 1500, 2, "merged", null, TickEvents.COMMIT)));
        Awaitility.await()
                .atMost(StateApi.TIMEOUT)
                .until(() -> JsonPath.from(StateApi.tickJson(tickId)).getLong("tokens") == 1500);
        JsonPath after = JsonPath.from(StateApi.tickJson(tickId));
        assertThat(after.getString("outcome")).isEqualTo("halted");
        assertThat(after.getString("reason")).startsWith("no progress for 45 min");
        // a second sweep finds nothing more to end for this tick
        assertThat(deadline.endStalledTicks(Instant.now())).doesNotContain(tickId, fresh);
    }

    private void lastChange(String tickId, Instant at) {
        QuarkusTransaction.requiringNew()
                .run(() -> em.createNativeQuery("UPDATE tick SET updated_at = :at WHERE tick_id = :id")
                        .setParameter("at", at)
                        .setParameter("id", tickId)
                        .executeUpdate());
    }

    private static Optional<Event> completionOf(List<ConsumerRecord<String, String>> records, String tickId) {
        return records.stream()
                .map(r -> KafkaTestClient.decodeOrNull(r.value()))
                .filter(e -> e != null && e.tickId().equals(tickId))
                .findFirst();
    }
}
