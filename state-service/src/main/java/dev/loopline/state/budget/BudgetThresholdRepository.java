package dev.loopline.state.budget;

import dev.loopline.state.budget.BudgetThreshold.Crossing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;

/** The log of threshold crossings, one row per scope, day and level. */
@ApplicationScoped
public class BudgetThresholdRepository {

    @Inject
    EntityManager em;

    /** Records the crossing unless that scope-day reached that level before; returns whether it is new. */
    public boolean insertIfAbsent(Crossing c) {
        boolean usd = c.unit() == BudgetUnit.USD;
        return em.createNativeQuery(
                                """
                                INSERT INTO budget_threshold_crossing
                                       (scope_kind, scope_id, day, level, percent, used, cap, resets_at, crossed_at,
                                        unit, used_usd, cap_usd)
                                VALUES (:kind, :id, :day, :level, :percent, :used, :cap, :resetsAt, :at,
                                        :unit, :usedUsd, :capUsd)
                                ON CONFLICT DO NOTHING
                                """)
                        .setParameter("kind", c.scope().kind().wireName())
                        .setParameter("id", c.scope().id())
                        .setParameter("day", c.day())
                        .setParameter("level", c.level().wireName())
                        .setParameter("percent", c.level().percent())
                        .setParameter("used", new TypedParameterValue<>(StandardBasicTypes.LONG, usd ? null : c.used()))
                        .setParameter("cap", new TypedParameterValue<>(StandardBasicTypes.LONG, usd ? null : c.cap()))
                        .setParameter("unit", c.unit().wireName())
                        .setParameter("usedUsd", new TypedParameterValue<>(StandardBasicTypes.BIG_DECIMAL, c.usedUsd()))
                        .setParameter("capUsd", new TypedParameterValue<>(StandardBasicTypes.BIG_DECIMAL, c.capUsd()))
                        .setParameter("resetsAt", c.resetsAt())
                        .setParameter("at", c.crossedAt())
                        .executeUpdate()
                == 1;
    }

    public void markPublished(Crossing c, Instant at) {
        em.createNativeQuery(
                        """
                        UPDATE budget_threshold_crossing SET published_at = :at
                         WHERE scope_kind = :kind AND scope_id = :id AND day = :day AND level = :level
                        """)
                .setParameter("at", at)
                .setParameter("kind", c.scope().kind().wireName())
                .setParameter("id", c.scope().id())
                .setParameter("day", c.day())
                .setParameter("level", c.level().wireName())
                .executeUpdate();
    }

    /** The highest level a scope-day has reached. */
    public java.util.Optional<Crossing> highest(BudgetScope scope, LocalDate day) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        """
                        SELECT scope_kind, scope_id, day, level, used, cap, resets_at, crossed_at, unit, used_usd, cap_usd
                          FROM budget_threshold_crossing
                         WHERE scope_kind = :kind AND scope_id = :id AND day = :day
                         ORDER BY percent DESC LIMIT 1
                        """)
                .setParameter("kind", scope.kind().wireName())
                .setParameter("id", scope.id())
                .setParameter("day", day)
                .getResultList();
        return crossings(rows).stream().findFirst();
    }

    /**
     * Per budget scope, the highest level reached on its latest day that has not reset by {@code now} (published or
     * not: the table is the truth, the topic its copy).
     */
    public List<Crossing> active(Instant now) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        """
                        SELECT DISTINCT ON (scope_kind, scope_id)
                               scope_kind, scope_id, day, level, used, cap, resets_at, crossed_at, unit, used_usd,
                               cap_usd
                          FROM budget_threshold_crossing
                         WHERE resets_at > :now
                         ORDER BY scope_kind, scope_id, day DESC, percent DESC
                        """)
                .setParameter("now", now)
                .getResultList();
        return crossings(rows);
    }

    /**
     * Crossings recorded at or after {@code since} (null: any time), newest first, at most {@code limit}; of {@code
     * scope} only when it is given.
     */
    public List<Crossing> recent(BudgetScope scope, Instant since, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        """
                        SELECT scope_kind, scope_id, day, level, used, cap, resets_at, crossed_at, unit, used_usd,
                               cap_usd
                          FROM budget_threshold_crossing
                         WHERE (CAST(:kind AS text) = '' OR (scope_kind = :kind AND scope_id = :id))
                           AND crossed_at >= :since
                         ORDER BY crossed_at DESC, scope_kind, scope_id, percent DESC
                         LIMIT :limit
                        """)
                .setParameter("kind", scope == null ? "" : scope.kind().wireName())
                .setParameter("id", scope == null ? "" : scope.id())
                .setParameter("since", since == null ? Instant.EPOCH : since)
                .setParameter("limit", limit)
                .getResultList();
        return crossings(rows);
    }

    /** Crossings not yet published that were recorded before {@code before}, oldest first. */
    public List<Crossing> unpublished(Instant before, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        """
                        SELECT scope_kind, scope_id, day, level, used, cap, resets_at, crossed_at, unit, used_usd, cap_usd
                          FROM budget_threshold_crossing
                         WHERE published_at IS NULL AND crossed_at < :before
                         ORDER BY crossed_at, scope_kind, scope_id, percent
                         LIMIT :limit
                        """)
                .setParameter("before", before)
                .setParameter("limit", limit)
                .getResultList();
        return crossings(rows);
    }

    private static List<Crossing> crossings(List<Object[]> rows) {
        return rows.stream()
                .map(r -> new Crossing(
                        new BudgetScope(
                                BudgetScope.Kind.fromWireName((String) r[0]).orElseThrow(), (String) r[1]),
                        r[2] instanceof LocalDate d ? d : ((java.sql.Date) r[2]).toLocalDate(),
                        Arrays.stream(BudgetThreshold.values())
                                .filter(t -> t.wireName().equals(r[3]))
                                .findFirst()
                                .orElseThrow(),
                        r[4] == null ? 0 : ((Number) r[4]).longValue(),
                        r[5] == null ? 0 : ((Number) r[5]).longValue(),
                        BudgetRepository.toInstant(r[6]),
                        BudgetRepository.toInstant(r[7]),
                        BudgetUnit.fromWireName((String) r[8]),
                        BudgetRepository.decimalOrNull(r[9]),
                        BudgetRepository.decimalOrNull(r[10])))
                .toList();
    }
}
