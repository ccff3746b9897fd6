package dev.loopline.state.control;

import dev.loopline.schemas.control.ControlScope;
import dev.loopline.schemas.control.ControlSnapshot;
import dev.loopline.schemas.control.KillSwitch;
import dev.loopline.schemas.events.ApprovalRecorded;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventType;
import dev.loopline.state.budget.BudgetScope;
import dev.loopline.state.budget.BudgetThreshold;
import dev.loopline.state.budget.BudgetThresholdRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Kill switch: the current state per scope and an append-only log of who changed it and why, which also records the
 * approval decisions the gate publishes ({@link #onRecorded}).
 */
@ApplicationScoped
public class ControlService {

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    BudgetThresholdRepository thresholds;

    /** Stores the new state and its log entry in one transaction; returns what to publish. */
    @Transactional
    public KillSwitch set(BudgetScope scope, KillSwitch.State state, String reason, String by) {
        KillSwitch changed = new KillSwitch(
                ControlScope.fromWireName(scope.kind().wireName()).orElseThrow(),
                scope.id(),
                state,
                reason,
                by,
                clock.instant());
        em.createNativeQuery(
                        """
                        INSERT INTO control_switch (scope_kind, scope_id, state, reason, actor, updated_at)
                        VALUES (:kind, :id, :state, :reason, :actor, :at)
                        ON CONFLICT (scope_kind, scope_id)
                        DO UPDATE SET state = EXCLUDED.state, reason = EXCLUDED.reason, actor = EXCLUDED.actor,
                                      updated_at = EXCLUDED.updated_at
                        """)
                .setParameter("kind", changed.scope().wireName())
                .setParameter("id", changed.id())
                .setParameter("state", state.wireName())
                .setParameter("reason", reason)
                .setParameter("actor", by)
                .setParameter("at", changed.at())
                .executeUpdate();
        em.createNativeQuery(
                        """
                        INSERT INTO control_event (scope_kind, scope_id, action, reason, actor, time)
                        VALUES (:kind, :id, :action, :reason, :actor, :at)
                        """)
                .setParameter("kind", changed.scope().wireName())
                .setParameter("id", changed.id())
                .setParameter("action", changed.killed() ? "kill" : "resume")
                .setParameter("reason", reason)
                .setParameter("actor", by)
                .setParameter("at", changed.at())
                .executeUpdate();
        return changed;
    }

    /** The approval actions that are decisions, and so belong in the control log. */
    private static final Set<ApprovalRecorded.Action> DECISIONS = EnumSet.of(
            ApprovalRecorded.Action.APPROVED,
            ApprovalRecorded.Action.REJECTED,
            ApprovalRecorded.Action.EXPIRED,
            ApprovalRecorded.Action.VOIDED);

    /** Longest actor the log keeps ({@code control_event.actor}). */
    private static final int MAX_ACTOR = 200;

    /**
     * Logs an approval decision ({@code approved}, {@code rejected}, {@code expired}, {@code voided}) recorded on a
     * tick's timeline: who, when, on which request and tick, through which channel and why, under the loop's scope.
     * Called in the run log's transaction for each event recorded for the first time; the event id makes a second
     * call for the same event change nothing. Other events are ignored.
     */
    public void onRecorded(Event event) {
        if (event.eventType() != EventType.APPROVAL_RECORDED) {
            return;
        }
        ApprovalRecorded record = event.dataAs(ApprovalRecorded.class);
        if (!DECISIONS.contains(record.action())) {
            return;
        }
        String channel =
                record.channel() == null ? null : record.channel().name().toLowerCase(java.util.Locale.ROOT);
        String by = record.by() == null || record.by().isBlank() ? "gate" : record.by();
        em.createNativeQuery(
                        """
                        INSERT INTO control_event (scope_kind, scope_id, action, reason, actor, time, approval_id,
                                                   tick_id, channel, event_id)
                        VALUES ('loop', :loop, :action, :reason, :actor, :at, :approval, :tick, :channel, :event)
                        ON CONFLICT (event_id) DO NOTHING
                        """)
                .setParameter("loop", event.loopId())
                .setParameter("action", "approval-" + record.action().wireName())
                .setParameter("reason", approvalReason(event, record, channel))
                .setParameter("actor", by.length() <= MAX_ACTOR ? by : by.substring(0, MAX_ACTOR))
                .setParameter("at", event.time())
                .setParameter("approval", record.approvalId())
                .setParameter("tick", event.tickId())
                .setParameter("channel", channel)
                .setParameter("event", event.id())
                .executeUpdate();
    }

    /**
     * {@code request apr-… of tick t-… (attempt 1): approved by alice (1 of 2) via cli: looks right}: the gate's
     * reason, with the channel and the comment when it does not name them already.
     */
    static String approvalReason(Event event, ApprovalRecorded record, String channel) {
        StringBuilder why = new StringBuilder("request ")
                .append(record.approvalId())
                .append(" of tick ")
                .append(event.tickId())
                .append(" (attempt ")
                .append(event.attempt())
                .append("): ");
        String reason = record.reason() == null || record.reason().isBlank()
                ? record.action().wireName()
                : record.reason().strip();
        why.append(reason);
        if (channel != null && !reason.contains("via " + channel)) {
            why.append(" via ").append(channel);
        }
        String comment = record.comment() == null ? "" : record.comment().strip();
        if (!comment.isEmpty() && !reason.contains(comment)) {
            why.append(": ").append(comment);
        }
        return why.toString();
    }

    /** The first killed switch among {@code scopes} and the global scope, in lock order. */
    @Transactional
    public Optional<KillSwitch> killedAmong(Collection<BudgetScope> scopes) {
        TreeSet<BudgetScope> checked = new TreeSet<>(scopes);
        checked.add(BudgetScope.global());
        Map<String, KillSwitch> killed =
                all().stream().filter(KillSwitch::killed).collect(Collectors.toMap(KillSwitch::key, c -> c));
        return checked.stream()
                .map(s -> killed.get(s.kind().wireName() + ":" + s.id()))
                .filter(java.util.Objects::nonNull)
                .findFirst();
    }

    /** The kills in force and the budget alerts that have not lapsed, as of now. */
    @Transactional
    public ControlSnapshot snapshot() {
        Instant now = clock.instant();
        return new ControlSnapshot(
                now,
                all().stream().filter(KillSwitch::killed).toList(),
                thresholds.active(now).stream()
                        .map(BudgetThreshold.Crossing::alert)
                        .toList());
    }

    /**
     * The control log, newest first, at most {@code limit}: every kill and resume (who, why), every budget threshold
     * crossing and every approval decision, since {@code since} (null: from the start), of {@code scope} only when it
     * is given.
     */
    @Transactional
    public List<ControlLogEntry> log(BudgetScope scope, Instant since, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        """
                        SELECT time, action, scope_kind, scope_id, actor, reason, approval_id, tick_id, channel
                          FROM control_event
                         WHERE (CAST(:kind AS text) = '' OR (scope_kind = :kind AND scope_id = :id))
                           AND time >= :since
                         ORDER BY time DESC, id DESC
                         LIMIT :limit
                        """)
                .setParameter("kind", scope == null ? "" : scope.kind().wireName())
                .setParameter("id", scope == null ? "" : scope.id())
                .setParameter("since", since == null ? Instant.EPOCH : since)
                .setParameter("limit", limit)
                .getResultList();
        List<ControlLogEntry> entries = new ArrayList<>();
        for (Object[] r : rows) {
            entries.add(new ControlLogEntry(
                    instant(r[0]),
                    (String) r[1],
                    new BudgetScope(BudgetScope.Kind.fromWireName((String) r[2]).orElseThrow(), (String) r[3]),
                    (String) r[4],
                    (String) r[5],
                    (String) r[6],
                    (String) r[7],
                    (String) r[8]));
        }
        thresholds.recent(scope, since, limit).forEach(c -> entries.add(ControlLogEntry.of(c)));
        entries.sort(Comparator.comparing(ControlLogEntry::time).reversed());
        return List.copyOf(entries.subList(0, Math.min(limit, entries.size())));
    }

    @Transactional
    public List<KillSwitch> all() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        """
                        SELECT scope_kind, scope_id, state, reason, actor, updated_at
                          FROM control_switch ORDER BY scope_kind, scope_id
                        """)
                .getResultList();
        return rows.stream()
                .map(r -> new KillSwitch(
                        ControlScope.fromWireName((String) r[0]).orElseThrow(),
                        (String) r[1],
                        KillSwitch.State.KILLED.wireName().equals(r[2])
                                ? KillSwitch.State.KILLED
                                : KillSwitch.State.RESUMED,
                        (String) r[3],
                        (String) r[4],
                        instant(r[5])))
                .toList();
    }

    /** A {@code timestamptz} column as the driver hands it over. */
    private static Instant instant(Object value) {
        return value instanceof java.time.OffsetDateTime odt ? odt.toInstant() : (Instant) value;
    }
}
