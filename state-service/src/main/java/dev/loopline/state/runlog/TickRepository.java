package dev.loopline.state.runlog;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;

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

    /** What creating a bare tick row needs: its id, loop, team and the earliest event time seen for it. */
    public record NewTick(String tickId, String loopId, String team, Instant firstSeen) {}

    /**
     * {@link #lockOrCreate} for many ticks in one statement: creates the missing rows and locks every row, in the
     * order given (callers sort by tick id, so two writers cannot deadlock), and answers them as they are once
     * locked. An existing row is locked by a no-op update ({@code ON CONFLICT DO UPDATE} waits for, and then sees,
     * the latest committed version, exactly like {@code SELECT … FOR UPDATE}). The entities returned are detached:
     * write changes back with {@link #updateAll}.
     */
    public Map<String, TickEntity> lockOrCreateAll(List<NewTick> ticks, Instant now) {
        Map<String, TickEntity> locked = new LinkedHashMap<>();
        if (ticks.isEmpty()) {
            return locked;
        }
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            String[] ids = new String[ticks.size()];
            String[] loops = new String[ticks.size()];
            String[] teams = new String[ticks.size()];
            String[] firstSeen = new String[ticks.size()];
            for (int i = 0; i < ticks.size(); i++) {
                ids[i] = ticks.get(i).tickId();
                loops[i] = ticks.get(i).loopId();
                teams[i] = ticks.get(i).team();
                firstSeen[i] = ticks.get(i).firstSeen().toString();
            }
            try (PreparedStatement upsert = connection.prepareStatement(
                    """
                    INSERT INTO tick AS t (tick_id, loop_id, team, status, attempts, tokens, started_at, updated_at)
                    SELECT v.tick_id, v.loop_id, v.team, 'triggered', 0, 0, v.started_at, ?
                      FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                                  CAST(CAST(? AS text[]) AS timestamptz[]))
                           WITH ORDINALITY AS v(tick_id, loop_id, team, started_at, n)
                     ORDER BY v.n
                    ON CONFLICT (tick_id) DO UPDATE SET updated_at = t.updated_at
                    RETURNING tick_id, loop_id, team, status, outcome, decision, reason, level, kind, trigger_kind,
                              triggered_by, attempts, tokens, branch, commit_sha, started_at, triggered_at, completed_at,
                              updated_at, approval_id, resolution, resolution_attempt, resolved_at, resolution_reason
                    """)) {
                upsert.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                Array idArray = connection.createArrayOf("text", ids);
                Array loopArray = connection.createArrayOf("text", loops);
                Array teamArray = connection.createArrayOf("text", teams);
                Array firstSeenArray = connection.createArrayOf("text", firstSeen);
                upsert.setArray(2, idArray);
                upsert.setArray(3, loopArray);
                upsert.setArray(4, teamArray);
                upsert.setArray(5, firstSeenArray);
                try (ResultSet rs = upsert.executeQuery()) {
                    while (rs.next()) {
                        TickEntity tick = tick(rs);
                        locked.put(tick.tickId, tick);
                    }
                }
            }
        });
        return locked;
    }

    /**
     * Writes the ticks back (every merged column) in one statement over arrays (one round trip and one executor run,
     * not one per tick); the rows must be locked by this transaction.
     */
    public void updateAll(Collection<TickEntity> ticks) {
        if (ticks.isEmpty()) {
            return;
        }
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            int n = ticks.size();
            String[][] columns = new String[24][n];
            int i = 0;
            for (TickEntity tick : ticks) {
                columns[0][i] = tick.tickId;
                columns[1][i] = tick.loopId;
                columns[2][i] = tick.team;
                columns[3][i] = tick.status;
                columns[4][i] = tick.outcome;
                columns[5][i] = tick.decision;
                columns[6][i] = tick.reason;
                columns[7][i] = tick.level;
                columns[8][i] = tick.kind;
                columns[9][i] = tick.triggerKind;
                columns[10][i] = tick.triggeredBy;
                columns[11][i] = Integer.toString(tick.attempts);
                columns[12][i] = Long.toString(tick.tokens);
                columns[13][i] = tick.branch;
                columns[14][i] = tick.commitSha;
                columns[15][i] = text(tick.startedAt);
                columns[16][i] = text(tick.triggeredAt);
                columns[17][i] = text(tick.completedAt);
                columns[18][i] = text(tick.updatedAt);
                columns[19][i] = tick.approvalId;
                columns[20][i] = tick.resolution;
                columns[21][i] = tick.resolutionAttempt == null ? null : Integer.toString(tick.resolutionAttempt);
                columns[22][i] = text(tick.resolvedAt);
                columns[23][i] = tick.resolutionReason;
                i++;
            }
            try (PreparedStatement update = connection.prepareStatement(
                    """
                    UPDATE tick t
                       SET loop_id = v.loop_id, team = v.team, status = v.status, outcome = v.outcome,
                           decision = v.decision, reason = v.reason, level = v.level, kind = v.kind,
                           trigger_kind = v.trigger_kind, triggered_by = v.triggered_by,
                           attempts = CAST(v.attempts AS integer), tokens = CAST(v.tokens AS bigint),
                           branch = v.branch, commit_sha = v.commit_sha,
                           started_at = CAST(v.started_at AS timestamptz),
                           triggered_at = CAST(v.triggered_at AS timestamptz),
                           completed_at = CAST(v.completed_at AS timestamptz),
                           updated_at = CAST(v.updated_at AS timestamptz),
                           approval_id = v.approval_id, resolution = v.resolution,
                           resolution_attempt = CAST(v.resolution_attempt AS integer),
                           resolved_at = CAST(v.resolved_at AS timestamptz), resolution_reason = v.resolution_reason
                      FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                                  CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                                  CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                                  CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                                  CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                                  CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]))
                           AS v(tick_id, loop_id, team, status, outcome, decision, reason, level, kind, trigger_kind,
                                triggered_by, attempts, tokens, branch, commit_sha, started_at, triggered_at,
                                completed_at, updated_at, approval_id, resolution, resolution_attempt, resolved_at,
                                resolution_reason)
                     WHERE t.tick_id = v.tick_id
                    """)) {
                for (int c = 0; c < columns.length; c++) {
                    update.setArray(c + 1, connection.createArrayOf("text", columns[c]));
                }
                update.executeUpdate();
            }
        });
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static TickEntity tick(ResultSet rs) throws SQLException {
        TickEntity tick = new TickEntity();
        tick.tickId = rs.getString("tick_id");
        tick.loopId = rs.getString("loop_id");
        tick.team = rs.getString("team");
        tick.status = rs.getString("status");
        tick.outcome = rs.getString("outcome");
        tick.decision = rs.getString("decision");
        tick.reason = rs.getString("reason");
        tick.level = rs.getString("level");
        tick.kind = rs.getString("kind");
        tick.triggerKind = rs.getString("trigger_kind");
        tick.triggeredBy = rs.getString("triggered_by");
        tick.attempts = rs.getInt("attempts");
        tick.tokens = rs.getLong("tokens");
        tick.branch = rs.getString("branch");
        tick.commitSha = rs.getString("commit_sha");
        tick.startedAt = instant(rs, "started_at");
        tick.triggeredAt = instant(rs, "triggered_at");
        tick.completedAt = instant(rs, "completed_at");
        tick.updatedAt = instant(rs, "updated_at");
        tick.approvalId = rs.getString("approval_id");
        tick.resolution = rs.getString("resolution");
        int resolutionAttempt = rs.getInt("resolution_attempt");
        tick.resolutionAttempt = rs.wasNull() ? null : resolutionAttempt;
        tick.resolvedAt = instant(rs, "resolved_at");
        tick.resolutionReason = rs.getString("resolution_reason");
        return tick;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
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

    /**
     * Ticks not completed whose row has not changed since {@code cutoff} (no event of theirs arrived since), oldest
     * first: the ticks the deadline sweep ends.
     */
    public List<TickEntity> stalled(Instant cutoff, int limit) {
        return find("status <> 'completed' and updatedAt < ?1", Sort.ascending("updatedAt", "tickId"), cutoff)
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

    /**
     * Per loop: its team, level and newest tick, the outcome of its newest completed tick, its tick count and its open
     * items (awaiting approval or escalated), in one pass over the loop's ticks. A tick id has no space (envelope
     * schema), so the newest open ones travel as one space-separated text.
     */
    @SuppressWarnings("unchecked")
    public List<LoopSummary> loops(String team) {
        List<Object[]> rows = getEntityManager()
                .createNativeQuery(
                        """
                        SELECT loop_id,
                               (array_agg(team ORDER BY started_at DESC, tick_id DESC))[1],
                               (array_agg(level ORDER BY started_at DESC, tick_id DESC)
                                    FILTER (WHERE level IS NOT NULL))[1],
                               max(started_at),
                               (array_agg(tick_id ORDER BY started_at DESC, tick_id DESC))[1],
                               (array_agg(status ORDER BY started_at DESC, tick_id DESC))[1],
                               (array_agg(outcome ORDER BY started_at DESC, tick_id DESC)
                                    FILTER (WHERE outcome IS NOT NULL))[1],
                               (array_agg(COALESCE(completed_at, started_at) ORDER BY started_at DESC, tick_id DESC))[1],
                               count(*),
                               count(*) FILTER (WHERE outcome IN ('awaiting-approval', 'escalated')),
                               array_to_string((array_agg(tick_id ORDER BY started_at DESC, tick_id DESC)
                                    FILTER (WHERE outcome IN ('awaiting-approval', 'escalated')))[1:%d], ' ')
                          FROM tick
                         GROUP BY loop_id
                        HAVING CAST(:team AS text) = ''
                            OR (array_agg(team ORDER BY started_at DESC, tick_id DESC))[1] = CAST(:team AS text)
                         ORDER BY loop_id
                        """
                                .formatted(LoopSummary.OPEN_TICKS_NAMED))
                .setParameter("team", team == null ? "" : team)
                .getResultList();
        return rows.stream()
                .map(r -> new LoopSummary(
                        (String) r[0],
                        (String) r[1],
                        (String) r[2],
                        toInstant(r[3]),
                        (String) r[4],
                        (String) r[5],
                        (String) r[6],
                        toInstant(r[7]),
                        ((Number) r[8]).longValue(),
                        ((Number) r[9]).longValue(),
                        r[10] == null || ((String) r[10]).isEmpty() ? List.of() : List.of(((String) r[10]).split(" "))))
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
