package dev.loopline.gate.service;

import dev.loopline.core.auth.Caller;
import dev.loopline.core.control.Admission;
import dev.loopline.gate.approval.ApprovalDecisions;
import dev.loopline.gate.approval.ApprovalListener;
import dev.loopline.gate.approval.ApprovalNotice;
import dev.loopline.gate.approval.ApprovalNotice.Channel;
import dev.loopline.gate.approval.ApprovalNotice.State;
import dev.loopline.gate.approval.ApprovalNotice.Vote;
import dev.loopline.gate.repository.ApprovalRepository;
import dev.loopline.gate.repository.ApprovalRepository.Row;
import dev.loopline.gate.repository.TargetRepository;
import dev.loopline.schemas.events.ApprovalRecorded.Action;
import dev.loopline.schemas.events.ChangeDecided;
import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.http.ProblemType;
import dev.loopline.schemas.json.Json;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;

/**
 * The gate's approval requests: opened for a change that needs a human (L2, L3 outside the allowlist), decided by
 * votes from any channel, merged once the quorum of distinct approvers is reached. Every decision runs in one
 * database transaction holding the request's row lock, so double clicks, two channels and two gate replicas
 * serialise on it and exactly one of them merges; what happened is written to the outbox in the same transaction
 * and published after it commits.
 */
public class ApprovalService implements ApprovalDecisions {

    private static final Logger LOG = Logger.getLogger(ApprovalService.class);

    /** Publishes one event (waits for the broker's acknowledgement, throws when it cannot). */
    @FunctionalInterface
    public interface Sender {
        void send(Event event);
    }

    /** Approval settings ({@code loopline.gate.approvals.*}). */
    public record Settings(
            Duration expiry,
            int quorum,
            Map<String, Integer> teamQuorum,
            Map<String, Integer> loopQuorum,
            int maxReverifications,
            String dashboardUrl,
            Duration reverifyTimeout) {

        int quorumFor(String team, String loopId) {
            Integer n = loopQuorum.get(loopId);
            if (n == null) {
                n = teamQuorum.get(team);
            }
            return Math.max(1, n == null ? quorum : n);
        }
    }

    /** Listener notices collected in a transaction, delivered after it commits. */
    private record Told(List<ApprovalNotice> opened, List<ApprovalNotice> decided) {
        Told() {
            this(new ArrayList<>(), new ArrayList<>());
        }
    }

    private final ApprovalRepository store;
    private final ApprovalMerger merger;
    private final Sender sender;
    private final Iterable<ApprovalListener> listeners;
    private final Settings settings;
    private final Clock clock;
    private final ApprovalEvents events;

    public ApprovalService(
            ApprovalRepository store,
            TargetRepository target,
            Sender sender,
            Iterable<ApprovalListener> listeners,
            BiFunction<String, String, Admission> admission,
            Settings settings,
            Clock clock,
            String committerName,
            String committerEmail) {
        this.store = store;
        this.sender = sender;
        this.listeners = listeners;
        this.settings = settings;
        this.clock = clock;
        this.events = new ApprovalEvents(store, settings.dashboardUrl());
        this.merger = new ApprovalMerger(
                store, target, events, admission, settings.maxReverifications(), committerName, committerEmail);
    }

    /** The request id of a tick's attempt: stable, so a redelivered verdict finds the request it opened. */
    public static String idFor(String tickId, int attempt) {
        return "apr-" + GateService.sha256(tickId + "/" + attempt).substring(0, 16);
    }

    /**
     * Opens the request for a change the gate pushed as a branch and that now waits for a human (idempotent: a
     * redelivered verdict finds the request it opened), voiding the open requests of the tick's earlier attempts.
     *
     * @return the {@code awaiting-approval} decision naming the request
     */
    public ChangeDecided open(Event event, ChangeVerified verified, ChangeDecided decided) {
        Told told = new Told();
        Instant now = clock.instant();
        String id = idFor(event.tickId(), event.attempt());
        Row row = store.inTransaction(c -> {
            for (String older : store.openOfOtherAttempts(c, event.tickId(), event.attempt())) {
                Row stale = store.lock(c, older).orElseThrow();
                close(
                        c,
                        stale,
                        State.VOIDED,
                        Action.VOIDED,
                        null,
                        "attempt " + event.attempt() + " of the tick replaced the change this request was bound to",
                        "voided",
                        now,
                        told);
            }
            Row fresh = new Row(
                    id,
                    event.team(),
                    event.loopId(),
                    event.tickId(),
                    event.attempt(),
                    verified.spec().target().repo(),
                    decided.branch(),
                    verified.baseRef(),
                    verified.baseSha(),
                    decided.commit(),
                    verified.diffSha256(),
                    policyVersion(verified),
                    summary(verified, decided),
                    store.triggeredBy(c, event.tickId()).orElse(null),
                    ApprovalEvents.json(verified),
                    State.OPEN,
                    settings.quorumFor(event.team(), event.loopId()),
                    ApprovalRepository.micros(now),
                    ApprovalRepository.micros(now.plus(settings.expiry())),
                    decided.reason(),
                    null,
                    null,
                    null,
                    0);
            if (store.insert(c, fresh)) {
                events.record(c, fresh, Action.OPENED, null, null, "opened: " + decided.reason(), "opened", now);
                told.opened().add(events.notice(c, fresh));
            }
            return store.find(c, id).orElseThrow();
        });
        after(told);
        return new ChangeDecided(
                ChangeDecided.Decision.AWAITING_APPROVAL,
                decided.reason() + "; awaiting approval " + row.id() + " (" + row.quorum() + " approver"
                        + (row.quorum() == 1 ? "" : "s") + ", expires " + row.expiresAt() + ")",
                decided.branch(),
                decided.commit(),
                decided.baseSha(),
                decided.diffSha256(),
                decided.tickTokens());
    }

    @Override
    public Optional<ApprovalNotice> find(String id) {
        return store.inTransaction(c -> {
            Optional<Row> row = store.find(c, id);
            return row.isEmpty() ? Optional.<ApprovalNotice>empty() : Optional.of(events.notice(c, row.get()));
        });
    }

    /** Requests matching the filter, newest first. */
    public List<ApprovalNotice> list(ApprovalRepository.Filter filter) {
        List<Row> rows = store.list(filter);
        return store.inTransaction(c -> {
            List<ApprovalNotice> notices = new ArrayList<>();
            for (Row r : rows) {
                notices.add(events.notice(c, r));
            }
            return notices;
        });
    }

    @Override
    public Outcome decide(String id, boolean approve, Caller caller, Channel channel, String comment) {
        String text = comment == null || comment.isBlank() ? null : comment.strip();
        if (!approve && text == null) {
            return refused(ProblemType.INVALID_REQUEST, "a rejection needs a comment saying why", null);
        }
        if (caller.bootstrap()) {
            return refused(
                    ProblemType.NOT_AN_APPROVER,
                    "the shared service token cannot tell who is deciding: use a personal approver token",
                    null);
        }
        Told told = new Told();
        Instant now = clock.instant();
        Outcome outcome = store.inTransaction(c -> {
            Optional<Row> locked = store.lock(c, id);
            if (locked.isEmpty()) {
                return refused(ProblemType.APPROVAL_NOT_FOUND, "no approval request " + id, null);
            }
            Row row = locked.get();
            if (!caller.mayApprove(row.team())) {
                return refused(
                        ProblemType.NOT_AN_APPROVER,
                        "'" + caller.name() + "' (role " + caller.role().wireName() + ") is not an approver of team "
                                + row.team(),
                        events.notice(c, row));
            }
            Optional<Vote> earlier = store.votes(c, id).stream()
                    .filter(v -> v.by().equals(caller.name()))
                    .findFirst();
            if (earlier.isPresent()) {
                boolean same = earlier.get().approve() == approve;
                return new Outcome(
                        same,
                        same ? null : ProblemType.APPROVAL_CLOSED,
                        "already " + (earlier.get().approve() ? "approved" : "rejected") + " by " + caller.name()
                                + (same ? "" : ", and a vote cannot be changed") + "; request " + id + " is "
                                + row.state().name().toLowerCase() + ": " + row.reason(),
                        events.notice(c, row));
            }
            if (row.state() != State.OPEN) {
                return refused(
                        ProblemType.APPROVAL_CLOSED,
                        "request " + id + " is " + row.state().name().toLowerCase() + ": " + row.reason(),
                        events.notice(c, row));
            }
            if (approve) {
                Optional<String> trigger =
                        row.triggeredBy() != null ? Optional.of(row.triggeredBy()) : store.triggeredBy(c, row.tickId());
                if (trigger.isEmpty()) {
                    // fail closed: without knowing who triggered the tick, self-approval cannot be ruled out
                    return refused(
                            ProblemType.SELF_APPROVAL,
                            "the gate does not know who triggered tick " + row.tickId()
                                    + ", so it cannot rule out a self-approval",
                            events.notice(c, row));
                }
                if (sameUser(trigger.get(), caller.name())) {
                    return refused(
                            ProblemType.SELF_APPROVAL,
                            "'" + caller.name() + "' triggered tick " + row.tickId() + " and may not approve it",
                            events.notice(c, row));
                }
            }
            Vote vote = new Vote(caller.name(), channel, approve, text, ApprovalRepository.micros(now));
            store.vote(c, id, vote);
            if (!approve) {
                String reason = "rejected by " + caller.name() + " via " + channelName(channel) + ": " + text;
                Row closed =
                        close(c, row, State.REJECTED, Action.REJECTED, vote, reason, "vote/" + vote.by(), now, told);
                return new Outcome(true, null, reason, events.notice(c, closed));
            }
            long approvals = store.votes(c, id).stream().filter(Vote::approve).count();
            String counted = "approved by " + caller.name() + " (" + approvals + " of " + row.quorum() + ")";
            events.record(c, row, Action.APPROVED, vote, null, counted, "vote/" + vote.by(), now);
            if (approvals < row.quorum()) {
                return new Outcome(true, null, counted, events.notice(c, row));
            }
            String merged = merger.merge(c, row, now, decided -> told.decided().add(decided));
            Row after = store.find(c, id).orElseThrow();
            return new Outcome(true, null, counted + "; " + merged, events.notice(c, after));
        });
        after(told);
        return outcome;
    }

    /** A verdict of the guard on an approved change re-verified on a moved base. */
    public void onReverified(Event event) {
        ChangeVerified verified = event.dataAs(ChangeVerified.class);
        Told told = new Told();
        Instant now = clock.instant();
        store.inTransaction(c -> {
            Optional<Row> locked = store.lock(c, verified.approvalId());
            if (locked.isEmpty()) {
                LOG.warnf("re-verification verdict for unknown approval %s ignored", verified.approvalId());
                return null;
            }
            merger.reverified(
                    c, locked.get(), verified, now, decided -> told.decided().add(decided));
            return null;
        });
        after(told);
    }

    /**
     * The periodic sweep: expires overdue requests (escalating them to the listeners), voids those whose
     * re-verification had no verdict in time, retries merges that a halt or a git failure held back, and publishes
     * events still in the outbox.
     */
    public void sweep() {
        Instant now = clock.instant();
        voidUnansweredReverifications(now);
        for (String id : store.expired(now, 100)) {
            Told told = new Told();
            store.inTransaction(c -> {
                Optional<Row> row = store.lock(c, id);
                if (row.isPresent()
                        && row.get().state() == State.OPEN
                        && !row.get().expiresAt().isAfter(now)) {
                    Duration open =
                            Duration.between(row.get().openedAt(), row.get().expiresAt());
                    close(
                            c,
                            row.get(),
                            State.EXPIRED,
                            Action.EXPIRED,
                            null,
                            "no decision within " + open + ": expired and escalated; nothing merged",
                            "expired",
                            now,
                            told);
                    LOG.warnf(
                            "approval %s of tick %s expired: escalated",
                            id, row.get().tickId());
                }
                return null;
            });
            after(told);
        }
        for (String id : store.approvedButUnmerged(100)) {
            Told told = new Told();
            store.inTransaction(c -> {
                Optional<Row> row = store.lock(c, id);
                if (row.isPresent()
                        && row.get().state() == State.OPEN
                        && row.get().reverifyBase() == null) {
                    merger.merge(c, row.get(), now, decided -> told.decided().add(decided));
                }
                return null;
            });
            after(told);
        }
        flush();
    }

    /**
     * An approved change sent back to the guard whose verdict never came (the guard lost it, or is down) would keep
     * its request open until the request expires, days later: after {@code reverify-timeout} the request is voided,
     * saying so, and nothing is merged. A verdict arriving later finds the request closed and is ignored.
     */
    private void voidUnansweredReverifications(Instant now) {
        Duration timeout = settings.reverifyTimeout();
        Instant cutoff = now.minus(timeout);
        for (String id : store.reverificationsOverdue(cutoff, 100)) {
            Told told = new Told();
            store.inTransaction(c -> {
                Optional<Row> row = store.lock(c, id);
                Optional<Instant> since = store.reverifyingSince(c, id);
                if (row.isPresent()
                        && row.get().state() == State.OPEN
                        && since.isPresent()
                        && !since.get().isAfter(cutoff)) {
                    String why = "no verdict from the guard within " + describe(timeout)
                            + " on the re-verification of the approved change on the moved base "
                            + row.get().reverifyBase() + " (asked at " + since.get()
                            + "): voided, nothing merged (the guard may be down or have lost the request)";
                    close(c, row.get(), State.VOIDED, Action.VOIDED, null, why, "voided", now, told);
                    LOG.warnf("approval %s of tick %s: %s", id, row.get().tickId(), why);
                }
                return null;
            });
            after(told);
        }
    }

    /** {@code 30 min}, {@code 2 h}, {@code 45 s}: a timeout as a reader of a reason wants it. */
    static String describe(Duration d) {
        if (d.toSeconds() % 3600 == 0) {
            return d.toHours() + " h";
        }
        if (d.toSeconds() % 60 == 0) {
            return d.toMinutes() + " min";
        }
        return d.toSeconds() + " s";
    }

    /** Publishes events waiting in the outbox; returns how many were sent. */
    public int flush() {
        int sent = 0;
        Instant now = clock.instant();
        for (ApprovalRepository.Outgoing out : store.claim(now, now.minusSeconds(60), 500)) {
            try {
                sender.send(EventCodec.decode(out.event()));
                store.settle(out.eventId(), true, clock.instant());
                sent++;
            } catch (Exception e) {
                store.settle(out.eventId(), false, clock.instant());
                LOG.warnf("approval event %s not published yet (the sweep retries): %s", out.eventId(), e.getMessage());
                break;
            }
        }
        return sent;
    }

    Row close(
            Connection c,
            Row row,
            State state,
            Action action,
            Vote vote,
            String reason,
            String key,
            Instant now,
            Told told)
            throws SQLException {
        return merger.close(c, row, state, action, vote, reason, null, key, now, told.decided()::add);
    }

    private void after(Told told) {
        flush();
        for (ApprovalNotice notice : told.opened()) {
            tell(notice, true);
        }
        for (ApprovalNotice notice : told.decided()) {
            tell(notice, false);
        }
    }

    /** A listener's failure is logged and never undoes or blocks a decision. */
    private void tell(ApprovalNotice notice, boolean opened) {
        for (ApprovalListener listener : listeners) {
            try {
                if (opened) {
                    listener.opened(notice);
                } else {
                    listener.decided(notice);
                }
            } catch (RuntimeException e) {
                LOG.warnf(
                        "approval listener %s failed on %s of %s: %s",
                        listener.getClass().getSimpleName(),
                        opened ? "opened" : "decided",
                        notice.id(),
                        e.getMessage());
            }
        }
    }

    private static Outcome refused(ProblemType type, String message, ApprovalNotice notice) {
        return new Outcome(false, type, message, notice);
    }

    /** A trigger by {@code alice} and an OIDC login {@code oidc:alice} are the same human. */
    static boolean sameUser(String trigger, String caller) {
        return strip(trigger).equalsIgnoreCase(strip(caller));
    }

    private static String strip(String name) {
        return name.startsWith("oidc:") ? name.substring("oidc:".length()) : name;
    }

    static String channelName(Channel channel) {
        return channel.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The loop's policy the change was judged under: level, target, allowlist and pins of its spec. */
    static String policyVersion(ChangeVerified verified) {
        try {
            var spec = verified.spec();
            String policy = Json.mapper()
                    .writeValueAsString(java.util.Arrays.asList(
                            spec.level(), spec.target(), spec.allowlist(), spec.protectedOrEmpty()));
            return GateService.sha256(policy).substring(0, 16);
        } catch (Exception e) {
            throw new IllegalStateException("cannot hash the loop's policy", e);
        }
    }

    private static String summary(ChangeVerified verified, ChangeDecided decided) {
        String name = verified.spec().name() != null
                ? verified.spec().name()
                : verified.spec().id();
        String task = verified.spec().task() == null
                ? ""
                : verified.spec().task().strip().lines().findFirst().orElse("");
        return name + (task.isEmpty() ? "" : ": " + task) + " — " + decided.reason();
    }
}
