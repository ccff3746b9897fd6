package dev.loopline.state.runlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.schemas.events.ApprovalRecorded;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.state.TickEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TickProjectionTest {

    private static final Instant START = Instant.parse("2026-11-21T06:00:00Z");

    @Test
    void foldsAFullTickIntoACompletedRow() {
        TickEntity tick = fold(TickEvents.mergedTick("docs", "platform", "t-1", START));

        assertThat(tick.status).isEqualTo("completed");
        assertThat(tick.outcome).isEqualTo("merged");
        assertThat(tick.decision).isEqualTo("merged");
        assertThat(tick.reason).isEqualTo("merged");
        assertThat(tick.level).isEqualTo("L3");
        assertThat(tick.kind).isEqualTo("assisted-fix");
        assertThat(tick.triggerKind).isEqualTo("cadence");
        assertThat(tick.triggeredBy).isEqualTo("scheduler");
        assertThat(tick.attempts).isEqualTo(1);
        assertThat(tick.tokens).isEqualTo(1200);
        assertThat(tick.commitSha).isEqualTo(TickEvents.COMMIT);
        assertThat(tick.startedAt).isEqualTo(START);
        assertThat(tick.triggeredAt).isEqualTo(START);
        assertThat(tick.completedAt).isEqualTo(START.plusSeconds(4));
    }

    @Test
    void everyArrivalOrderGivesTheSameRow() {
        List<Event> events = TickEvents.mergedTick("docs", "platform", "t-1", START);
        TickEntity expected = fold(events);

        for (List<Event> order : permutations(events)) {
            TickEntity actual = fold(order);
            assertThat(actual).usingRecursiveComparison().isEqualTo(expected);
        }
    }

    @Test
    void anApprovalResolvesATickThatEndedAwaitingApprovalWithoutChangingItsOutcomeInAnyOrder() {
        List<Event> started =
                TickEvents.mergedTick("docs", "platform", "t-1", START).subList(0, 2);
        Event awaiting = TickEvents.event(
                "docs",
                "platform",
                "t-1",
                START.plusSeconds(4),
                1,
                new TickCompleted(
                        TickCompleted.Outcome.AWAITING_APPROVAL, 900, 1, "awaiting approval apr-1", "b", null));
        Event voidedEarlierAttempt = TickEvents.event(
                "docs", "platform", "t-1", START.plusSeconds(5), 0, approval("apr-0", ApprovalRecorded.Action.VOIDED));
        Event opened = TickEvents.event(
                "docs", "platform", "t-1", START.plusSeconds(5), 1, approval("apr-1", ApprovalRecorded.Action.OPENED));
        Event merged = TickEvents.event(
                "docs",
                "platform",
                "t-1",
                START.plusSeconds(900),
                1,
                approval("apr-1", ApprovalRecorded.Action.MERGED));
        List<Event> all = new ArrayList<>(started);
        all.addAll(List.of(awaiting, voidedEarlierAttempt, opened, merged));

        TickEntity expected = fold(all);
        assertThat(expected.outcome).isEqualTo("awaiting-approval");
        assertThat(expected.completedAt).isEqualTo(START.plusSeconds(4));
        assertThat(expected.resolution).isEqualTo("merged");
        assertThat(expected.resolvedAt).isEqualTo(START.plusSeconds(900));
        assertThat(expected.approvalId).isEqualTo("apr-1");
        for (List<Event> order : permutations(all)) {
            assertThat(fold(order)).usingRecursiveComparison().isEqualTo(expected);
        }
        assertThat(fold(List.of(started.get(0), awaiting, opened)).resolution).isNull();
    }

    private static ApprovalRecorded approval(String id, ApprovalRecorded.Action action) {
        ApprovalRecorded.State state =
                switch (action) {
                    case MERGED -> ApprovalRecorded.State.MERGED;
                    case VOIDED -> ApprovalRecorded.State.VOIDED;
                    default -> ApprovalRecorded.State.OPEN;
                };
        return new ApprovalRecorded(
                id, action, state, "gate", null, null, 1, 1, "d".repeat(64), "c".repeat(40), "b", null, "why");
    }

    @Test
    void aTickEndsOnceTheEarliestOfTwoCompletionsWinsInEitherOrder() {
        List<Event> started =
                TickEvents.mergedTick("docs", "platform", "t-1", START).subList(0, 2);
        Event timedOut = TickEvents.event(
                "docs",
                "platform",
                "t-1",
                START.plusSeconds(3600),
                1,
                TickCompleted.halted(TickCompleted.Halt.TIMEOUT, 0, 1, "no progress for 45 min"));
        Event lateMerge = TickEvents.event(
                "docs",
                "platform",
                "t-1",
                START.plusSeconds(3700),
                2,
                new TickCompleted(TickCompleted.Outcome.MERGED, 900, 2, "merged", null, TickEvents.COMMIT));
        List<Event> inOrder = new ArrayList<>(started);
        inOrder.add(timedOut);
        inOrder.add(lateMerge);
        List<Event> reversed = new ArrayList<>(started);
        reversed.add(lateMerge);
        reversed.add(timedOut);

        for (List<Event> order : List.of(inOrder, reversed)) {
            TickEntity tick = fold(order);
            assertThat(tick.outcome).isEqualTo("halted");
            assertThat(tick.reason).isEqualTo("no progress for 45 min");
            assertThat(tick.completedAt).isEqualTo(START.plusSeconds(3600));
            // what was spent is still counted
            assertThat(tick.tokens).isEqualTo(1200);
        }
    }

    @Test
    void completionBeforeProposalKeepsTheOutcomeAndTheStartTime() {
        List<Event> events = TickEvents.mergedTick("docs", "platform", "t-1", START);
        TickEntity tick = fold(List.of(events.get(4), events.get(1)));

        assertThat(tick.status).isEqualTo("completed");
        assertThat(tick.outcome).isEqualTo("merged");
        assertThat(tick.startedAt).isEqualTo(START.plusSeconds(1));
        assertThat(tick.triggeredAt).isNull();
        assertThat(tick.level).isEqualTo("L3");
    }

    @Test
    void stageRankFollowsTheLifeOfATick() {
        assertThat(List.of(
                                "loopline.tick.completed",
                                "loopline.change.decided",
                                "loopline.change.proposed",
                                "loopline.tick.triggered",
                                "loopline.change.verified")
                        .stream()
                        .sorted(java.util.Comparator.comparingInt(TickProjection::stageRank))
                        .toList())
                .containsExactly(
                        "loopline.tick.triggered",
                        "loopline.change.proposed",
                        "loopline.change.verified",
                        "loopline.change.decided",
                        "loopline.tick.completed");
    }

    private static TickEntity fold(List<Event> events) {
        TickEntity tick = new TickEntity();
        events.forEach(e -> TickProjection.apply(tick, e));
        return tick;
    }

    private static List<List<Event>> permutations(List<Event> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        List<List<Event>> result = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<Event> rest = new ArrayList<>(items);
            Event head = rest.remove(i);
            for (List<Event> tail : permutations(rest)) {
                List<Event> order = new ArrayList<>();
                order.add(head);
                order.addAll(tail);
                result.add(order);
            }
        }
        return result;
    }
}
