package dev.loopline.gate.service;

import dev.loopline.core.control.Admission;
import dev.loopline.core.gate.GateRules;
import dev.loopline.core.io.GitException;
import dev.loopline.gate.approval.ApprovalNotice;
import dev.loopline.gate.approval.ApprovalNotice.State;
import dev.loopline.gate.approval.ApprovalNotice.Vote;
import dev.loopline.gate.repository.ApprovalRepository;
import dev.loopline.gate.repository.ApprovalRepository.Row;
import dev.loopline.gate.repository.TargetRepository;
import dev.loopline.gate.repository.TargetRepository.CommitIdentity;
import dev.loopline.gate.repository.TargetRepository.PushResult;
import dev.loopline.gate.repository.UnmergeableChangeException;
import dev.loopline.schemas.events.ApprovalRecorded.Action;
import dev.loopline.schemas.events.ChangeVerified;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Merges an approved change, always under the request's row lock: fast-forwards the base ref when it is still the
 * base the change was verified on; when the base has moved, sends the same diff back through the guard on the new
 * base and merges only after an {@code accept} verdict on exactly that base. Nothing unverified is ever merged, and a
 * branch that no longer holds the approved commit voids the request.
 */
final class ApprovalMerger {

    private static final Logger LOG = Logger.getLogger(ApprovalMerger.class);

    private final ApprovalRepository store;
    private final TargetRepository target;
    private final ApprovalEvents events;
    private final BiFunction<String, String, Admission> admission;
    private final int maxReverifications;
    private final String committerName;
    private final String committerEmail;

    ApprovalMerger(
            ApprovalRepository store,
            TargetRepository target,
            ApprovalEvents events,
            BiFunction<String, String, Admission> admission,
            int maxReverifications,
            String committerName,
            String committerEmail) {
        this.store = store;
        this.target = target;
        this.events = events;
        this.admission = admission;
        this.maxReverifications = maxReverifications;
        this.committerName = committerName;
        this.committerEmail = committerEmail;
    }

    /** Merges the approved request, or says why it waits; a git failure leaves it open for the sweep to retry. */
    String merge(Connection c, Row row, Instant now, Consumer<ApprovalNotice> decided) throws SQLException {
        Admission admitted = admission.apply(row.loopId(), row.team());
        if (!(admitted instanceof Admission.Run)) {
            String why = "quorum reached but the loop may not merge now (" + describe(admitted)
                    + "); the merge is retried when it may";
            store.note(c, row.id(), why);
            return why;
        }
        try {
            Optional<String> branchHead = target.remoteHead(row.repo(), row.branch());
            if (branchHead.isEmpty() || !branchHead.get().equals(row.commit())) {
                String why = "branch " + row.branch() + " "
                        + branchHead.map(h -> "now points at " + h).orElse("is gone") + ", not the approved commit "
                        + row.commit()
                        + ": the approval was bound to that change; nothing merged";
                close(c, row, State.VOIDED, Action.VOIDED, null, why, null, "voided", now, decided);
                return why;
            }
            return fastForward(c, row, row.commit(), row.baseSha(), now, decided);
        } catch (GitException | UncheckedIOException e) {
            String why = "quorum reached but the merge failed (" + e.getMessage() + "); the sweep retries it";
            LOG.warnf("approval %s: %s", row.id(), why);
            store.note(c, row.id(), why);
            return why;
        }
    }

    /** The guard's verdict on the approved change applied to the moved base {@code verified.baseSha()}. */
    void reverified(Connection c, Row row, ChangeVerified verified, Instant now, Consumer<ApprovalNotice> decided)
            throws SQLException {
        if (row.state() != State.OPEN || !verified.baseSha().equals(row.reverifyBase())) {
            LOG.infof("stale re-verification verdict for approval %s on %s ignored", row.id(), verified.baseSha());
            return;
        }
        if (!GateService.sha256(verified.diff()).equals(row.diffSha256())) {
            close(
                    c,
                    row,
                    State.VOIDED,
                    Action.VOIDED,
                    null,
                    "the re-verified diff is not the approved diff " + row.diffSha256(),
                    null,
                    "voided",
                    now,
                    decided);
            return;
        }
        // an approved change a human may approve (it touches the pinned harness or tests) escalates again on the
        // moved base for the same reason; anything else that is not an accept voids the approval
        if (verified.verdict() != ChangeVerified.Verdict.ACCEPT && !GateRules.humanMayApprove(verified)) {
            String reasons = verified.reasons() == null ? "" : String.join("; ", verified.reasons());
            close(
                    c,
                    row,
                    State.VOIDED,
                    Action.VOIDED,
                    null,
                    "re-verification on the moved base "
                            + verified.baseSha() + ": "
                            + verified.verdict().name().toLowerCase() + " (" + reasons
                            + "); nothing merged",
                    null,
                    "voided",
                    now,
                    decided);
            return;
        }
        try {
            String rebased = target.commit(
                    row.repo(),
                    verified.baseSha(),
                    verified.diff(),
                    "loopline(" + row.loopId() + "): tick " + row.tickId(),
                    new CommitIdentity(committerName, committerEmail, row.openedAt()));
            fastForward(c, row, rebased, verified.baseSha(), now, decided);
        } catch (UnmergeableChangeException e) {
            close(
                    c,
                    row,
                    State.VOIDED,
                    Action.VOIDED,
                    null,
                    "the approved change does not apply to the moved" + " base " + verified.baseSha() + ": "
                            + e.getMessage(),
                    null,
                    "voided",
                    now,
                    decided);
        } catch (GitException | UncheckedIOException e) {
            // leave the re-verification pending: the sweep asks the guard again
            store.note(c, row.id(), "re-verified, but the merge failed (" + e.getMessage() + ")");
        }
    }

    /**
     * Pushes {@code commit} (whose parent is {@code verifiedBase}) onto the base ref without force, when the base ref
     * is still {@code verifiedBase}; otherwise sends the change back through the guard.
     */
    private String fastForward(
            Connection c, Row row, String commit, String verifiedBase, Instant now, Consumer<ApprovalNotice> decided)
            throws SQLException {
        Optional<String> head = target.remoteHead(row.repo(), row.baseRef());
        if (head.isPresent() && head.get().equals(verifiedBase)) {
            if (!target.fetchIfMissing(row.repo(), commit)) {
                throw new GitException("commit " + commit + " is not on " + row.repo() + " any more");
            }
            if (target.push(row.repo(), commit, row.baseRef()) == PushResult.UPDATED) {
                return merged(c, row, commit, now, decided);
            }
            head = target.remoteHead(row.repo(), row.baseRef());
        }
        if (head.isPresent() && (head.get().equals(commit) || target.isAncestor(row.repo(), commit, head.get()))) {
            // an earlier handling pushed it and died before it recorded so
            return merged(c, row, commit, now, decided);
        }
        if (head.isEmpty()) {
            String why = row.baseRef() + " no longer exists on " + row.repo() + "; nothing merged";
            close(c, row, State.VOIDED, Action.VOIDED, null, why, null, "voided", now, decided);
            return why;
        }
        if (row.reverifyRound() >= maxReverifications) {
            String why = row.baseRef() + " moved again (now " + head.get() + ") after " + row.reverifyRound()
                    + " re-verifications; nothing merged";
            close(c, row, State.VOIDED, Action.VOIDED, null, why, null, "voided", now, decided);
            return why;
        }
        int round = row.reverifyRound() + 1;
        String why = row.baseRef() + " moved from " + verifiedBase + " to " + head.get()
                + ": the approved change goes back through the guard on the new base before it is merged";
        store.reverifying(c, row.id(), why, head.get(), round, now);
        Row pending = store.find(c, row.id()).orElseThrow();
        events.reverify(c, pending, head.get(), round, now);
        events.record(c, pending, Action.REVERIFYING, null, null, why, "reverify/" + round, now);
        return why;
    }

    private String merged(Connection c, Row row, String commit, Instant now, Consumer<ApprovalNotice> decided)
            throws SQLException {
        String why = "merged into " + row.baseRef() + " as " + commit;
        close(c, row, State.MERGED, Action.MERGED, null, why, commit, "merged", now, decided);
        return why;
    }

    Row close(
            Connection c,
            Row row,
            State state,
            Action action,
            Vote vote,
            String reason,
            String mergedCommit,
            String key,
            Instant now,
            Consumer<ApprovalNotice> decided)
            throws SQLException {
        store.close(c, row.id(), state, reason, ApprovalRepository.micros(now), mergedCommit);
        Row closed = store.find(c, row.id()).orElseThrow();
        events.record(c, closed, action, vote, mergedCommit, reason, key, now);
        decided.accept(events.notice(c, closed));
        return closed;
    }

    private static String describe(Admission admitted) {
        if (admitted instanceof Admission.Halt halt) {
            return halt.reason();
        }
        if (admitted instanceof Admission.ReportOnly limited) {
            return "report-only: " + limited.reason();
        }
        return String.valueOf(admitted);
    }
}
