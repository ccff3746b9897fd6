package dev.loopline.state.budget;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;

/**
 * The budget ledger in SQL. Every write that can change what a scope-day has left happens while its {@code
 * budget_period} row is locked ({@link #lockPeriod}); callers lock periods in {@link BudgetScope} order.
 */
@ApplicationScoped
public class BudgetRepository {

    @Inject
    EntityManager em;

    /** A scope's cap row as set through the API; a null unit falls back to its configured cap. */
    public record CapRow(
            BudgetScope scope, Long dailyTokens, BigDecimal dailyUsd, String timeZone, Instant updatedAt) {}

    /** A scope-day's settled totals. */
    public record Settled(long tokens, BigDecimal usd) {}

    /** The live holds on a scope-day: tokens and USD (holds without a priced model hold no USD). */
    public record Holds(long tokens, BigDecimal usd) {}

    /** A reservation's ledger row. */
    public record ReservationRow(
            UUID id,
            long tokens,
            String status,
            Instant createdAt,
            Instant expiresAt,
            Long settledTokens,
            String model,
            Instant closedAt,
            BigDecimal costUsd,
            BigDecimal heldUsd,
            Long expectedTokens,
            Long overshootTokens,
            String idempotencyKey) {

        /** The tokens the caller expected to spend: less than {@link #tokens} (the held maximum) when it declared one. */
        public long expected() {
            return expectedTokens == null ? tokens : expectedTokens;
        }
    }

    /** One scope-day a reservation charges. */
    public record ChargeRow(BudgetScope scope, LocalDate day) {}

    /** One scope-day's totals. */
    /** One scope-day's totals; {@code overshoot} is the part of {@code settled} beyond what reservations expected. */
    public record PeriodRow(BudgetScope scope, LocalDate day, long settled, long overshoot, BigDecimal costUsd) {}

    /** Creates the scope-day row if missing and locks it until the transaction ends; returns its settled sums. */
    public Settled lockPeriod(BudgetScope scope, LocalDate day) {
        em.createNativeQuery(
                        """
                        INSERT INTO budget_period (scope_kind, scope_id, day, settled) VALUES (:kind, :id, :day, 0)
                        ON CONFLICT DO NOTHING
                        """)
                .setParameter("kind", scope.kind().wireName())
                .setParameter("id", scope.id())
                .setParameter("day", day)
                .executeUpdate();
        Object[] settled = (Object[]) em.createNativeQuery(
                        """
                        SELECT settled, cost_usd FROM budget_period
                         WHERE scope_kind = :kind AND scope_id = :id AND day = :day
                        FOR UPDATE
                        """)
                .setParameter("kind", scope.kind().wireName())
                .setParameter("id", scope.id())
                .setParameter("day", day)
                .getSingleResult();
        return new Settled(((Number) settled[0]).longValue(), decimal(settled[1]));
    }

    /** The caps set through the API for any of these scopes, in one statement. */
    public Map<BudgetScope, CapRow> caps(Collection<BudgetScope> scopes) {
        Map<BudgetScope, CapRow> caps = new HashMap<>();
        if (scopes.isEmpty()) {
            return caps;
        }
        List<BudgetScope> list = List.copyOf(scopes);
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i < list.size(); i++) {
            keys.append(i == 0 ? "" : ", ").append("(:k%d, :i%d)".formatted(i, i));
        }
        Query query = em.createNativeQuery(
                """
                SELECT scope_kind, scope_id, daily_tokens, daily_usd, time_zone, updated_at
                  FROM budget_cap WHERE (scope_kind, scope_id) IN (%s)
                """
                        .formatted(keys));
        for (int i = 0; i < list.size(); i++) {
            query.setParameter("k" + i, list.get(i).kind().wireName());
            query.setParameter("i" + i, list.get(i).id());
        }
        for (Object row : query.getResultList()) {
            CapRow cap = capRow((Object[]) row);
            caps.put(cap.scope(), cap);
        }
        return caps;
    }

    /** Tokens and USD of the holds on a scope-day that are still live at {@code now}, except {@code excluded}'s. */
    public Holds liveHolds(BudgetScope scope, LocalDate day, Instant now, UUID excluded) {
        Object[] held = (Object[]) em.createNativeQuery(
                        """
                        SELECT COALESCE(SUM(c.held_tokens), 0), COALESCE(SUM(c.held_usd), 0)
                          FROM budget_charge c
                         WHERE c.scope_kind = :kind AND c.scope_id = :id AND c.day = :day
                           AND c.held_until > :now AND c.reservation_id <> :excluded
                        """)
                .setParameter("kind", scope.kind().wireName())
                .setParameter("id", scope.id())
                .setParameter("day", day)
                .setParameter("now", now)
                .setParameter("excluded", excluded == null ? new UUID(0, 0) : excluded)
                .getSingleResult();
        return new Holds(((Number) held[0]).longValue(), decimal(held[1]));
    }

    /** USD settled on a scope-day by reservations closed at or after {@code from}. */
    public BigDecimal settledUsdSince(BudgetScope scope, LocalDate day, Instant from) {
        Object settled = em.createNativeQuery(
                        """
                        SELECT COALESCE(SUM(r.cost_usd), 0)
                          FROM budget_charge c JOIN budget_reservation r ON r.id = c.reservation_id
                         WHERE c.scope_kind = :kind AND c.scope_id = :id AND c.day = :day
                           AND r.status = 'settled' AND r.closed_at >= :from
                        """)
                .setParameter("kind", scope.kind().wireName())
                .setParameter("id", scope.id())
                .setParameter("day", day)
                .setParameter("from", from)
                .getSingleResult();
        return decimal(settled);
    }

    /** Tokens settled on a scope-day by reservations closed at or after {@code from}. */
    public long settledSince(BudgetScope scope, LocalDate day, Instant from) {
        Object settled = em.createNativeQuery(
                        """
                        SELECT COALESCE(SUM(r.settled_tokens), 0)
                          FROM budget_charge c JOIN budget_reservation r ON r.id = c.reservation_id
                         WHERE c.scope_kind = :kind AND c.scope_id = :id AND c.day = :day
                           AND r.status = 'settled' AND r.closed_at >= :from
                        """)
                .setParameter("kind", scope.kind().wireName())
                .setParameter("id", scope.id())
                .setParameter("day", day)
                .setParameter("from", from)
                .getSingleResult();
        return ((Number) settled).longValue();
    }

    /** The reservation, locked until the transaction ends. */
    public Optional<ReservationRow> lockReservation(UUID id) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        """
                        SELECT id, tokens, status, created_at, expires_at, settled_tokens, model, closed_at, cost_usd,
                               held_usd, expected_tokens, overshoot_tokens, idempotency_key
                          FROM budget_reservation WHERE id = :id FOR UPDATE
                        """)
                .setParameter("id", id)
                .getResultList();
        return rows.stream().findFirst().map(BudgetRepository::reservation);
    }

    public List<ChargeRow> charges(UUID reservationId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        """
                        SELECT scope_kind, scope_id, day FROM budget_charge WHERE reservation_id = :id
                        """)
                .setParameter("id", reservationId)
                .getResultList();
        return rows.stream()
                .map(r -> new ChargeRow(scope(r[0], r[1]), toLocalDate(r[2])))
                .sorted(java.util.Comparator.comparing(ChargeRow::scope).thenComparing(ChargeRow::day))
                .toList();
    }

    /** Adds a settlement to its scope-day: its tokens, of which {@code overshoot} beyond the expected, and its cost. */
    public void addSettled(BudgetScope scope, LocalDate day, long tokens, long overshoot, BigDecimal costUsd) {
        em.createNativeQuery(
                        """
                        UPDATE budget_period
                           SET settled = settled + :tokens, overshoot = overshoot + :overshoot,
                               cost_usd = cost_usd + :cost
                         WHERE scope_kind = :kind AND scope_id = :id AND day = :day
                        """)
                .setParameter("tokens", tokens)
                .setParameter("overshoot", overshoot)
                .setParameter("cost", costUsd == null ? BigDecimal.ZERO : costUsd)
                .setParameter("kind", scope.kind().wireName())
                .setParameter("id", scope.id())
                .setParameter("day", day)
                .executeUpdate();
    }

    /** Closes a reservation; {@code overshootTokens} (settled beyond the expected) only for a settlement. */
    public void close(
            UUID id,
            String status,
            Long settledTokens,
            Long overshootTokens,
            String model,
            BigDecimal costUsd,
            Instant closedAt) {
        em.createNativeQuery(
                        """
                        UPDATE budget_reservation
                           SET status = :status, settled_tokens = :settled, overshoot_tokens = :overshoot,
                               model = :model, cost_usd = :cost, closed_at = :closedAt
                         WHERE id = :id
                        """)
                .setParameter("cost", new TypedParameterValue<>(StandardBasicTypes.BIG_DECIMAL, costUsd))
                .setParameter("overshoot", new TypedParameterValue<>(StandardBasicTypes.LONG, overshootTokens))
                .setParameter("status", status)
                .setParameter("settled", new TypedParameterValue<>(StandardBasicTypes.LONG, settledTokens))
                .setParameter("model", new TypedParameterValue<>(StandardBasicTypes.STRING, model))
                .setParameter("closedAt", closedAt)
                .setParameter("id", id)
                .executeUpdate();
    }

    /** Marks holds past their expiry as expired; they stopped counting at expiry already. */
    public int expireHolds(Instant now) {
        return em.createNativeQuery(
                        """
                        UPDATE budget_reservation SET status = 'expired', closed_at = expires_at
                         WHERE status = 'held' AND expires_at <= :now
                        """)
                .setParameter("now", now)
                .executeUpdate();
    }

    public Optional<CapRow> cap(BudgetScope scope) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        """
                        SELECT scope_kind, scope_id, daily_tokens, daily_usd, time_zone, updated_at
                          FROM budget_cap WHERE scope_kind = :kind AND scope_id = :id
                        """)
                .setParameter("kind", scope.kind().wireName())
                .setParameter("id", scope.id())
                .getResultList();
        return rows.stream().findFirst().map(BudgetRepository::capRow);
    }

    public List<CapRow> caps() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT scope_kind, scope_id, daily_tokens, daily_usd, time_zone, updated_at FROM budget_cap")
                .getResultList();
        return rows.stream().map(BudgetRepository::capRow).toList();
    }

    /**
     * Stores a scope's caps and zone. A unit given as null keeps its stored cap (an existing cap is never dropped by
     * omission); at least one unit must be given for a new row.
     */
    public void upsertCap(BudgetScope scope, Long dailyTokens, BigDecimal dailyUsd, String timeZone, Instant now) {
        em.createNativeQuery(
                        """
                        INSERT INTO budget_cap (scope_kind, scope_id, daily_tokens, daily_usd, time_zone, updated_at)
                        VALUES (:kind, :id, :tokens, :usd, :zone, :now)
                        ON CONFLICT (scope_kind, scope_id)
                        DO UPDATE SET daily_tokens = COALESCE(EXCLUDED.daily_tokens, budget_cap.daily_tokens),
                                      daily_usd = COALESCE(EXCLUDED.daily_usd, budget_cap.daily_usd),
                                      time_zone = EXCLUDED.time_zone, updated_at = EXCLUDED.updated_at
                        """)
                .setParameter("kind", scope.kind().wireName())
                .setParameter("id", scope.id())
                .setParameter("tokens", new TypedParameterValue<>(StandardBasicTypes.LONG, dailyTokens))
                .setParameter("usd", new TypedParameterValue<>(StandardBasicTypes.BIG_DECIMAL, dailyUsd))
                .setParameter("zone", new TypedParameterValue<>(StandardBasicTypes.STRING, timeZone))
                .setParameter("now", now)
                .executeUpdate();
    }

    /** Scope-days on or after {@code from}. */
    public List<PeriodRow> periodsSince(LocalDate from) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT scope_kind, scope_id, day, settled, overshoot, cost_usd FROM budget_period"
                                + " WHERE day >= :from")
                .setParameter("from", from)
                .getResultList();
        return rows.stream()
                .map(r -> new PeriodRow(
                        scope(r[0], r[1]),
                        toLocalDate(r[2]),
                        ((Number) r[3]).longValue(),
                        ((Number) r[4]).longValue(),
                        decimal(r[5])))
                .toList();
    }

    private static ReservationRow reservation(Object[] r) {
        return new ReservationRow(
                (UUID) r[0],
                ((Number) r[1]).longValue(),
                (String) r[2],
                toInstant(r[3]),
                toInstant(r[4]),
                r[5] == null ? null : ((Number) r[5]).longValue(),
                (String) r[6],
                r[7] == null ? null : toInstant(r[7]),
                decimalOrNull(r[8]),
                decimalOrNull(r[9]),
                r[10] == null ? null : ((Number) r[10]).longValue(),
                r[11] == null ? null : ((Number) r[11]).longValue(),
                (String) r[12]);
    }

    static BigDecimal decimalOrNull(Object value) {
        return value == null ? null : decimal(value);
    }

    private static BigDecimal decimal(Object value) {
        return value instanceof BigDecimal d ? d : new BigDecimal(value.toString());
    }

    private static CapRow capRow(Object[] r) {
        return new CapRow(
                scope(r[0], r[1]),
                r[2] == null ? null : ((Number) r[2]).longValue(),
                decimalOrNull(r[3]),
                (String) r[4],
                toInstant(r[5]));
    }

    private static BudgetScope scope(Object kind, Object id) {
        return new BudgetScope(BudgetScope.Kind.fromWireName((String) kind).orElseThrow(), (String) id);
    }

    public static Instant toInstant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        throw new IllegalStateException(
                "unexpected timestamp type " + value.getClass().getSimpleName());
    }

    private static LocalDate toLocalDate(Object value) {
        if (value instanceof LocalDate date) {
            return date;
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate();
        }
        throw new IllegalStateException(
                "unexpected date type " + value.getClass().getSimpleName());
    }
}
