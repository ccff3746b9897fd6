package dev.loopline.gate.service;

import dev.loopline.gate.approval.ApprovalNotice;
import dev.loopline.gate.approval.ApprovalNotice.Vote;
import dev.loopline.gate.repository.ApprovalRepository;
import dev.loopline.gate.repository.ApprovalRepository.Row;
import dev.loopline.schemas.events.ApprovalRecorded;
import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.json.Json;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** Builds what the gate tells others about an approval request: events for the outbox and listener notices. */
final class ApprovalEvents {

    static final String SOURCE = "gate-service";
    /** {@code by} of the gate's own actions. */
    static final String GATE = "gate";

    private final ApprovalRepository store;
    private final String dashboardUrl;

    ApprovalEvents(ApprovalRepository store, String dashboardUrl) {
        this.store = store;
        this.dashboardUrl = dashboardUrl;
    }

    /** Queues an {@code ApprovalRecorded} of {@code row} (as it is after the action) in the same transaction. */
    void record(
            Connection c,
            Row row,
            ApprovalRecorded.Action action,
            Vote vote,
            String commit,
            String reason,
            String key,
            Instant now)
            throws SQLException {
        long approvals = store.votes(c, row.id()).stream().filter(Vote::approve).count();
        ApprovalRecorded data = new ApprovalRecorded(
                row.id(),
                action,
                ApprovalRecorded.State.valueOf(row.state().name()),
                vote == null ? GATE : vote.by(),
                vote == null
                        ? null
                        : ApprovalRecorded.Channel.valueOf(vote.channel().name()),
                vote == null ? null : vote.comment(),
                (int) approvals,
                row.quorum(),
                row.diffSha256(),
                row.baseSha(),
                row.branch(),
                commit,
                reason);
        enqueue(c, Event.keyed(SOURCE, now, row.loopId(), row.tickId(), row.team(), row.attempt(), data, key), now);
    }

    /** Queues the approved change, verified on {@code newBase}, for the guard: {@code approvalId} marks it as ours. */
    void reverify(Connection c, Row row, String newBase, int round, Instant now) throws SQLException {
        ChangeVerified verified = verdict(row);
        ChangeProposed proposal = new ChangeProposed(
                verified.baseRef(),
                newBase,
                verified.diff(),
                verified.diffSha256(),
                List.of(),
                "re-verification of approved change " + row.id() + " on " + verified.baseRef() + " at " + newBase,
                // the change is still the maker's: the approval id says the gate sent it again
                new ChangeProposed.MakerInfo(
                        verified.spec().maker() == null
                                ? "mock"
                                : verified.spec().maker().type(),
                        null),
                dev.loopline.schemas.events.Usage.NONE,
                verified.tickTokens(),
                verified.spec(),
                null,
                row.id());
        enqueue(
                c,
                Event.keyed(
                        SOURCE,
                        now,
                        row.loopId(),
                        row.tickId(),
                        row.team(),
                        row.attempt(),
                        proposal,
                        "approval/" + row.id() + "/reverify/" + round),
                now);
    }

    static String json(ChangeVerified verified) {
        try {
            return Json.mapper().writeValueAsString(verified);
        } catch (Exception e) {
            throw new IllegalStateException("cannot store the verdict", e);
        }
    }

    /** The verified change a request was opened for. */
    static ChangeVerified verdict(Row row) {
        try {
            return Json.mapper().readValue(row.verdict(), ChangeVerified.class);
        } catch (Exception e) {
            throw new IllegalStateException("approval " + row.id() + " holds an unreadable verdict", e);
        }
    }

    ApprovalNotice notice(Connection c, Row r) throws SQLException {
        List<Vote> votes = store.votes(c, r.id());
        return new ApprovalNotice(
                r.id(),
                r.team(),
                r.loopId(),
                r.tickId(),
                r.attempt(),
                r.repo(),
                r.branch(),
                r.baseRef(),
                r.baseSha(),
                r.mergedCommit() != null ? r.mergedCommit() : r.commit(),
                r.diffSha256(),
                r.summary(),
                verdict(r).findings(),
                r.triggeredBy(),
                r.state(),
                r.quorum(),
                votes,
                r.openedAt(),
                r.expiresAt(),
                r.reason(),
                dashboardUrl == null ? null : dashboardUrl.replaceAll("/+$", "") + "/ticks/" + r.tickId());
    }

    private void enqueue(Connection c, Event event, Instant now) throws SQLException {
        store.enqueue(c, event.id(), EventCodec.encode(event), now);
    }
}
