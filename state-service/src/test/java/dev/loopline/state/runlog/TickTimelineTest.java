package dev.loopline.state.runlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.schemas.events.ApprovalRecorded;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.state.StateApi;
import dev.loopline.state.TestKafka;
import dev.loopline.state.TickEvents;
import dev.loopline.testsupport.KafkaTestResource;
import dev.loopline.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tick events on the real topics end up, exactly once, in the run log and the tick timeline. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(
        value = PostgresTestResource.class,
        restrictToAnnotatedClass = false,
        parallel = true,
        initArgs = @ResourceArg(name = PostgresTestResource.DATABASE_ARG, value = "state"))
class TickTimelineTest {

    @Inject
    RunEventRepository runEvents;

    @Test
    void fullTickShowsFiveStepTimelineInOrderWithOutcome() {
        String loopId = TickEvents.newLoopId();
        String tickId = TickEvents.newTickId();
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<Event> events = TickEvents.mergedTick(loopId, "platform", tickId, start);

        TestKafka.send(events);

        JsonPath tick = StateApi.awaitTick(tickId, t -> t.getInt("timeline.size()") == 5);
        assertThat(tick.getString("status")).isEqualTo("completed");
        assertThat(tick.getString("outcome")).isEqualTo("merged");
        assertThat(tick.getString("loopId")).isEqualTo(loopId);
        assertThat(tick.getString("team")).isEqualTo("platform");
        assertThat(tick.getLong("tokens")).isEqualTo(1200L);
        assertThat(tick.getInt("attempts")).isEqualTo(1);
        assertThat(tick.getString("commit")).isEqualTo(TickEvents.COMMIT);
        assertThat(tick.getString("level")).isEqualTo("L3");
        assertThat(tick.getString("triggerKind")).isEqualTo("cadence");
        assertThat(tick.getList("timeline.type", String.class))
                .containsExactly(
                        "loopline.tick.triggered",
                        "loopline.change.proposed",
                        "loopline.change.verified",
                        "loopline.change.decided",
                        "loopline.tick.completed");
        assertThat(tick.getList("timeline.id", String.class))
                .containsExactlyElementsOf(
                        events.stream().map(e -> e.id().toString()).toList());
        assertThat(tick.getList("timeline.attempt", Integer.class)).containsExactly(0, 1, 1, 1, 1);
        assertThat(tick.getString("timeline[0].source")).isEqualTo("test");
        assertThat(Instant.parse(tick.getString("timeline[4].time"))).isEqualTo(start.plusSeconds(4));
        assertThat(tick.getString("timeline[1].data.diff")).isEqualTo(TickEvents.DIFF);
        assertThat(tick.getLong("timeline[1].data.usage.inputTokens")).isEqualTo(1000L);
        assertThat(tick.getString("timeline[2].data.findings[0].ruleId")).isEqualTo("ci-config-changed");
        assertThat(tick.getString("timeline[2].data.test.outputTail")).isEqualTo("12 tests passed\n");
        assertThat(tick.getString("timeline[4].data.outcome")).isEqualTo("merged");
    }

    @Test
    void theGatesApprovalRecordsFollowTheTickAndItsFinalOneIsTheResolution() {
        String loopId = TickEvents.newLoopId();
        String tickId = TickEvents.newTickId();
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<Event> events = new java.util.ArrayList<>(
                TickEvents.mergedTick(loopId, "platform", tickId, start).subList(0, 3));
        events.add(TickEvents.event(
                loopId,
                "platform",
                tickId,
                start.plusSeconds(4),
                1,
                new TickCompleted(
                        TickCompleted.Outcome.AWAITING_APPROVAL, 1200, 1, "awaiting approval apr-1", "b", null)));
        events.add(approval(loopId, tickId, start.plusSeconds(5), ApprovalRecorded.Action.OPENED, "opened"));
        events.add(approval(loopId, tickId, start.plusSeconds(600), ApprovalRecorded.Action.MERGED, "merged"));

        TestKafka.send(events);

        JsonPath tick = StateApi.awaitTick(tickId, t -> "merged".equals(t.getString("resolution")));
        assertThat(tick.getString("outcome")).isEqualTo("awaiting-approval");
        assertThat(tick.getString("approvalId")).isEqualTo("apr-1");
        assertThat(tick.getString("resolutionReason")).isEqualTo("why");
        assertThat(Instant.parse(tick.getString("resolvedAt"))).isEqualTo(start.plusSeconds(600));
        assertThat(Instant.parse(tick.getString("completedAt"))).isEqualTo(start.plusSeconds(4));
        assertThat(tick.getList("timeline.type", String.class))
                .endsWith("loopline.tick.completed", "loopline.approval.recorded", "loopline.approval.recorded");
        assertThat(tick.getList("timeline.data.action", String.class)).contains("opened", "merged");
    }

    private static Event approval(
            String loopId, String tickId, Instant at, ApprovalRecorded.Action action, String key) {
        ApprovalRecorded.State state =
                action == ApprovalRecorded.Action.MERGED ? ApprovalRecorded.State.MERGED : ApprovalRecorded.State.OPEN;
        return Event.keyed(
                "gate-service",
                at,
                loopId,
                tickId,
                "platform",
                1,
                new ApprovalRecorded(
                        "apr-1",
                        action,
                        state,
                        "gate",
                        null,
                        null,
                        1,
                        1,
                        "d".repeat(64),
                        "c".repeat(40),
                        "b",
                        action == ApprovalRecorded.Action.MERGED ? "e".repeat(40) : null,
                        "why"),
                key);
    }

    @Test
    void redeliveredEventIsRecordedOnceAndLeavesTheTickUnchanged() {
        String loopId = TickEvents.newLoopId();
        String tickId = TickEvents.newTickId();
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Event triggered =
                TickEvents.mergedTick(loopId, "platform", tickId, start).get(0);
        TestKafka.send(triggered);
        StateApi.awaitTick(tickId, t -> t.getInt("timeline.size()") == 1);
        String before = StateApi.tickJson(tickId);

        // the duplicate, then a marker on the same key (same partition): once the marker is in, so was the duplicate
        String markerTick = TickEvents.newTickId();
        Event marker = TickEvents.mergedTick(loopId, "platform", markerTick, start.plusSeconds(60))
                .get(0);
        TestKafka.send(List.of(triggered, marker));
        StateApi.awaitTick(markerTick, t -> t.getInt("timeline.size()") == 1);

        assertThat(QuarkusTransaction.requiringNew().call(() -> runEvents.countById(triggered.id())))
                .isEqualTo(1L);
        assertThat(StateApi.tickJson(tickId)).isEqualTo(before);
    }

    @Test
    void completionArrivingBeforeTheProposalLosesNothing() {
        String loopId = TickEvents.newLoopId();
        String tickId = TickEvents.newTickId();
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<Event> events = TickEvents.mergedTick(loopId, "platform", tickId, start);

        TestKafka.send(List.of(events.get(4), events.get(3), events.get(1), events.get(2), events.get(0)));

        JsonPath tick = StateApi.awaitTick(tickId, t -> t.getInt("timeline.size()") == 5);
        assertThat(tick.getString("status")).isEqualTo("completed");
        assertThat(tick.getString("outcome")).isEqualTo("merged");
        assertThat(tick.getString("reason")).isEqualTo("merged");
        assertThat(tick.getString("decision")).isEqualTo("merged");
        assertThat(tick.getString("kind")).isEqualTo("assisted-fix");
        assertThat(Instant.parse(tick.getString("startedAt"))).isEqualTo(start);
        assertThat(Instant.parse(tick.getString("triggeredAt"))).isEqualTo(start);
        assertThat(tick.getList("timeline.type", String.class))
                .containsExactly(
                        "loopline.tick.triggered",
                        "loopline.change.proposed",
                        "loopline.change.verified",
                        "loopline.change.decided",
                        "loopline.tick.completed");
    }
}
