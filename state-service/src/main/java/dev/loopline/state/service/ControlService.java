package dev.loopline.state.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.Collection;
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

    /** Stores the new state and its log entry in one transaction; returns what to publish. */
    @Transactional
    public ControlState set(BudgetScope scope, String state, String reason, String by) {
        ControlState changed =
                new ControlState(scope.kind().wireName(), scope.id(), state, reason, by, clock.instant());
        em.createNativeQuery(
                        """
                        INSERT INTO control_switch (scope_kind, scope_id, state, reason, actor, updated_at)
                        VALUES (:kind, :id, :state, :reason, :actor, :at)
                        ON CONFLICT (scope_kind, scope_id)
                        DO UPDATE SET state = EXCLUDED.state, reason = EXCLUDED.reason, actor = EXCLUDED.actor,
                                      updated_at = EXCLUDED.updated_at
                        """)
                .setParameter("kind", changed.scope())
                .setParameter("id", changed.id())
                .setParameter("state", state)
                .setParameter("reason", reason)
                .setParameter("actor", by)
                .setParameter("at", changed.at())
                .executeUpdate();
        em.createNativeQuery(
                        """
                        INSERT INTO control_event (scope_kind, scope_id, action, reason, actor, time)
                        VALUES (:kind, :id, :action, :reason, :actor, :at)
                        """)
                .setParameter("kind", changed.scope())
                .setParameter("id", changed.id())
                .setParameter("action", ControlState.KILLED.equals(state) ? "kill" : "resume")
                .setParameter("reason", reason)
                .setParameter("actor", by)
                .setParameter("at", changed.at())
                .executeUpdate();
        return changed;
    }

    /** The first killed switch among {@code scopes} and the global scope, in lock order. */
    @Transactional
    public Optional<ControlState> killedAmong(Collection<BudgetScope> scopes) {
        TreeSet<BudgetScope> checked = new TreeSet<>(scopes);
        checked.add(BudgetScope.global());
        Map<String, ControlState> killed =
                all().stream().filter(ControlState::killed).collect(Collectors.toMap(ControlState::key, c -> c));
        return checked.stream()
                .map(s -> killed.get(s.kind().wireName() + ":" + s.id()))
                .filter(java.util.Objects::nonNull)
                .findFirst();
    }

    @Transactional
    public List<ControlState> all() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        """
                        SELECT scope_kind, scope_id, state, reason, actor, updated_at
                          FROM control_switch ORDER BY scope_kind, scope_id
                        """)
                .getResultList();
        return rows.stream()
                .map(r -> new ControlState(
                        (String) r[0],
                        (String) r[1],
                        (String) r[2],
                        (String) r[3],
                        (String) r[4],
                        r[5] instanceof java.time.OffsetDateTime odt ? odt.toInstant() : (java.time.Instant) r[5]))
                .toList();
    }
}
