package dev.loopline.state.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class TickRepository implements PanacheRepositoryBase<TickEntity, String> {

    /**
     * Returns the tick row locked for update, creating a bare one first if none exists. The insert is
     * conflict-free, so two writers of the same new tick (a consumer rebalance) cannot fail each other; the
     * row lock then serialises their merges.
     */
    public TickEntity lockOrCreate(String tickId, String loopId, String team, Instant firstSeen, Instant now) {
        getEntityManager()
                .createNativeQuery(
                        """
                        INSERT INTO tick (tick_id, loop_id, team, status, attempts, tokens, started_at, updated_at)
                        VALUES (:tickId, :loopId, :team, 'triggered', 0, 0, :startedAt, :now)
                        ON CONFLICT (tick_id) DO NOTHING
                        """)
                .setParameter("tickId", tickId)
                .setParameter("loopId", loopId)
                .setParameter("team", team)
                .setParameter("startedAt", firstSeen)
                .setParameter("now", now)
                .executeUpdate();
        return findById(tickId, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * One page of ticks, newest first, after the keyset position {@code after} when given.
     *
     * @param limit rows to return; the caller asks for one more than it shows to learn whether a next page
     *     exists
     */
    public List<TickEntity> page(TickFilter filter, TickCursor after, int limit) {
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (filter.loopId() != null) {
            where.append(" and loopId = :loopId");
            params.put("loopId", filter.loopId());
        }
        if (filter.team() != null) {
            where.append(" and team = :team");
            params.put("team", filter.team());
        }
        if (filter.outcome() != null) {
            where.append(" and outcome = :outcome");
            params.put("outcome", filter.outcome());
        }
        if (filter.since() != null) {
            where.append(" and startedAt >= :since");
            params.put("since", filter.since());
        }
        if (filter.until() != null) {
            where.append(" and startedAt < :until");
            params.put("until", filter.until());
        }
        if (after != null) {
            where.append(" and (startedAt < :afterStarted or (startedAt = :afterStarted and tickId < :afterTick))");
            params.put("afterStarted", after.startedAt());
            params.put("afterTick", after.tickId());
        }
        return find(where.toString(), Sort.descending("startedAt", "tickId"), params)
                .page(Page.ofSize(limit))
                .list();
    }

    /** Completed ticks, newest completion first, optionally of one team and/or loop. */
    public List<TickEntity> recentlyCompleted(String team, String loopId, int limit) {
        StringBuilder where = new StringBuilder("status = 'completed'");
        Map<String, Object> params = new HashMap<>();
        if (team != null) {
            where.append(" and team = :team");
            params.put("team", team);
        }
        if (loopId != null) {
            where.append(" and loopId = :loopId");
            params.put("loopId", loopId);
        }
        return find(where.toString(), Sort.descending("completedAt", "tickId"), params)
                .page(Page.ofSize(limit))
                .list();
    }

    /** A loop's ticks that wait for a human (awaiting approval or escalated), newest first. */
    public List<TickEntity> openItems(String loopId, int limit) {
        return find(
                        "loopId = ?1 and outcome in ('awaiting-approval', 'escalated')",
                        Sort.descending("startedAt", "tickId"),
                        loopId)
                .page(Page.ofSize(limit))
                .list();
    }

    /** Per loop: its team and newest tick, the outcome of its newest completed tick, and its tick count. */
    @SuppressWarnings("unchecked")
    public List<LoopSummary> loops(String team) {
        List<Object[]> rows = getEntityManager()
                .createNativeQuery(
                        """
                        SELECT loop_id,
                               (array_agg(team ORDER BY started_at DESC, tick_id DESC))[1],
                               max(started_at),
                               (array_agg(tick_id ORDER BY started_at DESC, tick_id DESC))[1],
                               (array_agg(status ORDER BY started_at DESC, tick_id DESC))[1],
                               (array_agg(outcome ORDER BY started_at DESC, tick_id DESC)
                                    FILTER (WHERE outcome IS NOT NULL))[1],
                               count(*)
                          FROM tick
                         GROUP BY loop_id
                        HAVING CAST(:team AS text) = ''
                            OR (array_agg(team ORDER BY started_at DESC, tick_id DESC))[1] = CAST(:team AS text)
                         ORDER BY loop_id
                        """)
                .setParameter("team", team == null ? "" : team)
                .getResultList();
        return rows.stream()
                .map(r -> new LoopSummary(
                        (String) r[0],
                        (String) r[1],
                        toInstant(r[2]),
                        (String) r[3],
                        (String) r[4],
                        (String) r[5],
                        ((Number) r[6]).longValue()))
                .toList();
    }

    private static Instant toInstant(Object value) {
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
}
