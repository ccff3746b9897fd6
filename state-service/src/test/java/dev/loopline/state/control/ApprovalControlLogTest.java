package dev.loopline.state.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loopline.schemas.events.ApprovalRecorded;
import dev.loopline.schemas.events.Event;
import dev.loopline.state.StateApi;
import dev.loopline.state.TestKafka;
import dev.loopline.state.TickEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gate's approval decisions, as they arrive on {@code loopline.approvals} through the real broker, join the control
 * log that state-service keeps in Postgres: who approved, rejected, or let expire or void what, when and why; the
 * final one is the tick's resolution, with its reason.
 */
@QuarkusTest
class ApprovalControlLogTest {

    @Test
    void approvalDecisionsJoinTheControlLogOnceWithWhoWhenWhichRequestAndWhy() {
        String loopId = TickEvents.newLoopId();
        String tickId = TickEvents.newTickId();
        String other = TickEvents.newTickId();
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Event approved = approval(
                loopId,
                tickId,
                start.plusSeconds(60),
                ApprovalRecorded.Action.APPROVED,
                ApprovalRecorded.State.OPEN,
                "alice",
                ApprovalRecorded.Channel.CLI,
                "looks right",
                "approved by alice (1 of 2)");
        Event voided = approval(
                loopId,
                other,
                start.plusSeconds(180),
                ApprovalRecorded.Action.VOIDED,
                ApprovalRecorded.State.VOIDED,
                "gate",
                null,
                null,
                "no verdict from the guard within 30 min on the re-verification");
        TestKafka.send(List.of(
                approval(
                        loopId,
                        tickId,
                        start,
                        ApprovalRecorded.Action.OPENED,
                        ApprovalRecorded.State.OPEN,
                        "gate",
                        null,
                        null,
                        "opened: L2 proposes a branch"),
                approved,
                approval(
                        loopId,
                        tickId,
                        start.plusSeconds(120),
                        ApprovalRecorded.Action.REJECTED,
                        ApprovalRecorded.State.REJECTED,
                        "bob",
                        ApprovalRecorded.Channel.SLACK,
                        "breaks the docs build",
                        "rejected by bob via slack: breaks the docs build")));
        // delivery is at least once: the same decision again is logged once. One loop's events share a partition,
        // so once the decision sent after it is logged, the repeat has been handled
        TestKafka.send(approved);
        TestKafka.send(voided);

        JsonPath log = await().atMost(StateApi.TIMEOUT)
                .until(
                        () -> StateApi.api()
                                .queryParam("scope", "loop")
                                .queryParam("id", loopId)
                                .get("/api/v1/control/events")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath(),
                        page -> page.getList("type").contains("approval-voided"));
        assertThat(log.getList("type", String.class))
                .containsExactly("approval-voided", "approval-rejected", "approval-approved");
        assertThat(log.getList("by", String.class)).containsExactly("gate", "bob", "alice");
        assertThat(log.getList("scope.kind", String.class)).containsOnly("loop");
        assertThat(log.getList("tickId", String.class)).containsExactly(other, tickId, tickId);
        assertThat(log.getList("channel", String.class)).containsExactly(null, "slack", "cli");
        assertThat(log.getList("approvalId", String.class)).containsOnly("apr-" + loopId);
        assertThat(Instant.parse(log.getString("[2].time"))).isEqualTo(start.plusSeconds(60));
        assertThat(log.getString("[2].reason"))
                .isEqualTo("request apr-" + loopId + " of tick " + tickId
                        + " (attempt 1): approved by alice (1 of 2) via cli: looks right");
        assertThat(log.getString("[1].reason"))
                .isEqualTo("request apr-" + loopId + " of tick " + tickId
                        + " (attempt 1): rejected by bob via slack: breaks the docs build");
        assertThat(log.getString("[0].reason")).contains("no verdict from the guard within 30 min");
        // and the tick whose request was voided says why beside its resolution
        JsonPath voidedTick = StateApi.awaitTick(other, t -> "voided".equals(t.getString("resolution")));
        assertThat(voidedTick.getString("resolutionReason"))
                .isEqualTo("no verdict from the guard within 30 min on the re-verification");
    }

    private static Event approval(
            String loopId,
            String tickId,
            Instant at,
            ApprovalRecorded.Action action,
            ApprovalRecorded.State state,
            String by,
            ApprovalRecorded.Channel channel,
            String comment,
            String reason) {
        return Event.keyed(
                "gate-service",
                at,
                loopId,
                tickId,
                "platform",
                1,
                new ApprovalRecorded(
                        "apr-" + loopId,
                        action,
                        state,
                        by,
                        channel,
                        comment,
                        action == ApprovalRecorded.Action.APPROVED ? 1 : 0,
                        2,
                        "d".repeat(64),
                        "c".repeat(40),
                        "loopline/" + loopId + "/" + tickId,
                        null,
                        reason),
                action.wireName() + "/" + by);
    }
}
