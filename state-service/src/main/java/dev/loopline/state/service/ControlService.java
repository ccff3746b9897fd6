package dev.loopline.state.service;

import dev.loopline.schemas.control.ControlScope;
import dev.loopline.schemas.control.ControlSnapshot;
import dev.loopline.schemas.control.KillSwitch;
import dev.loopline.state.repository.BudgetThresholdRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Kill switch: the current state per scope and an append-only log of who changed it and why. */
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
     * The control log, newest first, at most {@code limit}: every kill and resume (who, why) and every budget threshold
     * crossing, since {@code since} (null: from the start), of {@code scope} only when it is given.
     */
    @Transactional
    public List<ControlLogEntry> log(BudgetScope scope, Instant since, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        """
                        SELECT time, action, scope_kind, scope_id, actor, reason
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
                    (String) r[5]));
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
