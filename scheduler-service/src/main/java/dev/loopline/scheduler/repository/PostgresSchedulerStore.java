package dev.loopline.scheduler.repository;

import dev.loopline.scheduler.service.SchedulerStore;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.http.LoopStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * {@link SchedulerStore} on PostgreSQL with plain JDBC (tables in {@code db/migration/V1__scheduler_state.sql}).
 * Every method is one transaction; the conditional updates carry their condition in the {@code WHERE} clause,
 * so two replicas racing for the same row serialise on its row lock and exactly one wins.
 *
 * <p>Times are stored to the microsecond (PostgreSQL's precision); instants are truncated before they are
 * written or compared so a value read back compares equal to the one written.
 */
public class PostgresSchedulerStore implements SchedulerStore {

    private static final Logger LOG = Logger.getLogger(PostgresSchedulerStore.class);

    /** Outcomes kept per loop (at least the anomaly window): enough to dedupe a replayed batch of completions. */
    static final int OUTCOMES_KEPT = 64;

    private static final Map<String, TickCompleted.Outcome> OUTCOMES = new HashMap<>();

    static {
        for (TickCompleted.Outcome o : TickCompleted.Outcome.values()) {
            OUTCOMES.put(o.wireName(), o);
        }
    }

    private static final String STATE_COLUMNS = "loop_id, paused_by, paused_reason, paused_at, halt_kind, halt_detail,"
            + " halted_at, timing_key, next_run_at, last_slot, last_triggered_at, last_refusal, last_refusal_at";

    private static final String RECENT_OUTCOMES = "SELECT loop_id, outcome FROM ("
            + " SELECT o.loop_id, o.outcome, o.seq,"
            + " row_number() OVER (PARTITION BY o.loop_id ORDER BY o.seq DESC) AS rn"
            + " FROM loop_outcome o JOIN loop_state s ON s.loop_id = o.loop_id"
            + " WHERE o.seq > s.outcomes_after%s) recent"
            + " WHERE rn <= ? ORDER BY loop_id, seq";

    private static final String LEASE_COLUMNS =
            "loop_id, tick_id, team, repo, writes, trigger_kind, holder, acquired_at, expires_at";

    private final DataSource dataSource;

    public PostgresSchedulerStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction; rolls back on an exception or when it returns {@code rollback}. */
    private <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new SchedulerStoreException(e);
        }
    }

    private <T> T withConnection(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new SchedulerStoreException(e);
        }
    }

    /** The database is unreachable or refused a statement; the scheduler fails closed (no tick starts). */
    public static final class SchedulerStoreException extends RuntimeException {
        public SchedulerStoreException(SQLException cause) {
            super("scheduler store: " + cause.getMessage() + " (SQLState " + cause.getSQLState() + ")", cause);
        }
    }

    // ------------------------------------------------------------------------------------------ loop state

    @Override
    public void ensureLoops(Collection<String> loopIds) {
        if (loopIds.isEmpty()) {
            return;
        }
        inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement(
                    "INSERT INTO loop_state (loop_id) SELECT unnest(?::text[]) ON CONFLICT (loop_id) DO NOTHING")) {
                // in one order on every replica, so two reloads inserting the same new ids cannot deadlock
                st.setArray(1, c.createArrayOf("text", loopIds.stream().sorted().toArray()));
                st.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Map<String, LoopState> states(int window) {
        return withConnection(c -> {
            Map<String, List<TickCompleted.Outcome>> outcomes = new HashMap<>();
            try (PreparedStatement st = c.prepareStatement(RECENT_OUTCOMES.formatted(""))) {
                st.setInt(1, window);
                readOutcomes(st, outcomes);
            }
            Map<String, LoopState> states = new LinkedHashMap<>();
            try (PreparedStatement st =
                            c.prepareStatement("SELECT " + STATE_COLUMNS + " FROM loop_state ORDER BY loop_id");
                    ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    LoopState s = readState(rs, outcomes);
                    states.put(s.loopId(), s);
                }
            }
            return states;
        });
    }

    @Override
    public Optional<LoopState> state(String loopId, int window) {
        return withConnection(c -> {
            Map<String, List<TickCompleted.Outcome>> outcomes = new HashMap<>();
            try (PreparedStatement st = c.prepareStatement(RECENT_OUTCOMES.formatted(" AND o.loop_id = ?"))) {
                st.setString(1, loopId);
                st.setInt(2, window);
                readOutcomes(st, outcomes);
            }
            try (PreparedStatement st =
                    c.prepareStatement("SELECT " + STATE_COLUMNS + " FROM loop_state WHERE loop_id = ?")) {
                st.setString(1, loopId);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(readState(rs, outcomes)) : Optional.empty();
                }
            }
        });
    }

    private static void readOutcomes(PreparedStatement st, Map<String, List<TickCompleted.Outcome>> into)
            throws SQLException {
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                TickCompleted.Outcome o = OUTCOMES.get(rs.getString(2));
                if (o != null) {
                    into.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(o);
                }
            }
        }
    }

    private static LoopState readState(ResultSet rs, Map<String, List<TickCompleted.Outcome>> outcomes)
            throws SQLException {
        String loopId = rs.getString("loop_id");
        Instant pausedAt = instant(rs, "paused_at");
        Instant haltedAt = instant(rs, "halted_at");
        Instant refusedAt = instant(rs, "last_refusal_at");
        return new LoopState(
                loopId,
                pausedAt == null
                        ? null
                        : new LoopStatus.Pause(rs.getString("paused_by"), rs.getString("paused_reason"), pausedAt),
                haltedAt == null
                        ? null
                        : new LoopStatus.Halt(rs.getString("halt_kind"), rs.getString("halt_detail"), haltedAt),
                List.copyOf(outcomes.getOrDefault(loopId, List.of())),
                rs.getString("timing_key"),
                instant(rs, "next_run_at"),
                instant(rs, "last_slot"),
                instant(rs, "last_triggered_at"),
                refusedAt == null ? null : new LoopStatus.Refusal(rs.getString("last_refusal"), refusedAt));
    }

    @Override
    public boolean moveNextRun(String loopId, Instant expectedNext, String expectedKey, Instant next, String key) {
        return inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement("UPDATE loop_state SET next_run_at = ?, timing_key = ?"
                    + " WHERE loop_id = ? AND next_run_at IS NOT DISTINCT FROM ?"
                    + " AND timing_key IS NOT DISTINCT FROM ?")) {
                setTime(st, 1, next);
                st.setString(2, key);
                st.setString(3, loopId);
                setTime(st, 4, expectedNext);
                st.setString(5, expectedKey);
                return st.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean skipSlot(String loopId, Instant slot, Instant next, LoopStatus.Refusal refusal) {
        return inTransaction(c -> {
            boolean skipped;
            try (PreparedStatement st = c.prepareStatement("UPDATE loop_state SET next_run_at = ?, last_slot = ?"
                    + " WHERE loop_id = ? AND next_run_at = ?")) {
                setTime(st, 1, next);
                setTime(st, 2, slot);
                st.setString(3, loopId);
                setTime(st, 4, slot);
                skipped = st.executeUpdate() == 1;
            }
            if (skipped && refusal != null) {
                writeRefusal(c, loopId, refusal);
            }
            return skipped;
        });
    }

    @Override
    public void recordRefusal(String loopId, LoopStatus.Refusal refusal) {
        inTransaction(c -> {
            writeRefusal(c, loopId, refusal);
            return null;
        });
    }

    private static void writeRefusal(Connection c, String loopId, LoopStatus.Refusal refusal) throws SQLException {
        try (PreparedStatement st =
                c.prepareStatement("UPDATE loop_state SET last_refusal = ?, last_refusal_at = ? WHERE loop_id = ?")) {
            st.setString(1, refusal.reason());
            setTime(st, 2, refusal.at());
            st.setString(3, loopId);
            st.executeUpdate();
        }
    }

    @Override
    public boolean pause(String loopId, LoopStatus.Pause pause) {
        return inTransaction(c -> {
            insertState(c, loopId);
            try (PreparedStatement st = c.prepareStatement("UPDATE loop_state"
                    + " SET paused_by = ?, paused_reason = ?, paused_at = ?, next_run_at = NULL"
                    + " WHERE loop_id = ? AND paused_by IS NULL")) {
                st.setString(1, pause.by());
                st.setString(2, pause.reason());
                setTime(st, 3, pause.since());
                st.setString(4, loopId);
                return st.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean resume(String loopId, Instant nextRunAt) {
        return inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement("UPDATE loop_state SET paused_by = NULL,"
                    + " paused_reason = NULL, paused_at = NULL, halt_kind = NULL, halt_detail = NULL,"
                    + " halted_at = NULL, next_run_at = ?,"
                    + " outcomes_after = COALESCE((SELECT max(seq) FROM loop_outcome WHERE loop_id = ?), 0)"
                    + " WHERE loop_id = ? AND (paused_by IS NOT NULL OR halt_kind IS NOT NULL)")) {
                setTime(st, 1, nextRunAt);
                st.setString(2, loopId);
                st.setString(3, loopId);
                return st.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean halt(String loopId, LoopStatus.Halt halt) {
        return inTransaction(c -> {
            insertState(c, loopId);
            try (PreparedStatement st = c.prepareStatement("UPDATE loop_state"
                    + " SET halt_kind = ?, halt_detail = ?, halted_at = ?, next_run_at = NULL"
                    + " WHERE loop_id = ? AND halt_kind IS NULL")) {
                st.setString(1, halt.kind());
                st.setString(2, halt.detail());
                setTime(st, 3, halt.since());
                st.setString(4, loopId);
                return st.executeUpdate() == 1;
            }
        });
    }

    private static void insertState(Connection c, String loopId) throws SQLException {
        try (PreparedStatement st =
                c.prepareStatement("INSERT INTO loop_state (loop_id) VALUES (?) ON CONFLICT (loop_id) DO NOTHING")) {
            st.setString(1, loopId);
            st.executeUpdate();
        }
    }

    // ------------------------------------------------------------------------------------------ tick leases

    @Override
    public Acquisition acquire(TickLease lease, SlotClaim claim) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                Acquisition result = acquire(c, lease, claim);
                if (result.result() == Acquisition.Result.ACQUIRED) {
                    c.commit();
                } else {
                    c.rollback();
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new SchedulerStoreException(e);
        }
    }

    private static Acquisition acquire(Connection c, TickLease lease, SlotClaim claim) throws SQLException {
        // expired leases in the way (this loop's, or a writer's on this repository) are taken over
        try (PreparedStatement st = c.prepareStatement("DELETE FROM tick_lease WHERE expires_at <= ?"
                + " AND (loop_id = ? OR (? AND writes AND repo = ?)) RETURNING loop_id, tick_id, expires_at")) {
            setTime(st, 1, lease.acquiredAt());
            st.setString(2, lease.loopId());
            st.setBoolean(3, lease.writes());
            st.setString(4, lease.repo());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    LOG.warnf(
                            "tick %s of %s did not complete before its lease expired at %s; taken over",
                            rs.getString(2), rs.getString(1), instant(rs, "expires_at"));
                }
            }
        }
        int inserted;
        try (PreparedStatement st = c.prepareStatement("INSERT INTO tick_lease (" + LEASE_COLUMNS + ")"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            st.setString(1, lease.loopId());
            st.setString(2, lease.tickId());
            st.setString(3, lease.team());
            st.setString(4, lease.repo());
            st.setBoolean(5, lease.writes());
            st.setString(6, lease.triggerKind());
            st.setString(7, lease.holder());
            setTime(st, 8, lease.acquiredAt());
            setTime(st, 9, lease.expiresAt());
            inserted = st.executeUpdate();
        }
        if (inserted == 0) {
            return blocking(c, lease);
        }
        int claimed;
        if (claim != null) {
            try (PreparedStatement st = c.prepareStatement("UPDATE loop_state"
                    + " SET next_run_at = ?, last_slot = ?, last_triggered_at = ?"
                    + " WHERE loop_id = ? AND next_run_at = ? AND (last_slot IS NULL OR last_slot < ?)"
                    + " AND paused_by IS NULL AND halt_kind IS NULL")) {
                setTime(st, 1, claim.next());
                setTime(st, 2, claim.slot());
                setTime(st, 3, lease.acquiredAt());
                st.setString(4, lease.loopId());
                setTime(st, 5, claim.slot());
                setTime(st, 6, claim.slot());
                claimed = st.executeUpdate();
            }
            if (claimed == 0) {
                return new Acquisition(
                        held(c, lease.loopId()) ? Acquisition.Result.HELD : Acquisition.Result.SLOT_TAKEN, null);
            }
        } else {
            try (PreparedStatement st = c.prepareStatement("UPDATE loop_state SET last_triggered_at = ?"
                    + " WHERE loop_id = ? AND paused_by IS NULL AND halt_kind IS NULL")) {
                setTime(st, 1, lease.acquiredAt());
                st.setString(2, lease.loopId());
                claimed = st.executeUpdate();
            }
            if (claimed == 0) {
                return new Acquisition(Acquisition.Result.HELD, null);
            }
        }
        return new Acquisition(Acquisition.Result.ACQUIRED, lease);
    }

    private static boolean held(Connection c, String loopId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT paused_by IS NOT NULL OR halt_kind IS NOT NULL FROM loop_state WHERE loop_id = ?")) {
            st.setString(1, loopId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static Acquisition blocking(Connection c, TickLease lease) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT " + LEASE_COLUMNS + " FROM tick_lease"
                + " WHERE loop_id = ? OR (? AND writes AND repo = ?) ORDER BY loop_id = ? DESC LIMIT 1")) {
            st.setString(1, lease.loopId());
            st.setBoolean(2, lease.writes());
            st.setString(3, lease.repo());
            st.setString(4, lease.loopId());
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    // the other transaction's lease is gone again, or a tick id clashed: try again later
                    return new Acquisition(Acquisition.Result.LOOP_BUSY, null);
                }
                TickLease other = readLease(rs);
                return new Acquisition(
                        other.loopId().equals(lease.loopId())
                                ? Acquisition.Result.LOOP_BUSY
                                : Acquisition.Result.REPO_BUSY,
                        other);
            }
        }
    }

    @Override
    public void giveBack(TickLease lease, SlotClaim claim, Instant previousLastTriggered) {
        inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement("DELETE FROM tick_lease WHERE tick_id = ?")) {
                st.setString(1, lease.tickId());
                st.executeUpdate();
            }
            if (claim != null) {
                try (PreparedStatement st = c.prepareStatement("UPDATE loop_state"
                        + " SET next_run_at = ?, last_slot = ?, last_triggered_at = ?"
                        + " WHERE loop_id = ? AND last_slot = ? AND next_run_at IS NOT DISTINCT FROM ?")) {
                    setTime(st, 1, claim.slot());
                    setTime(st, 2, claim.previousLastSlot());
                    setTime(st, 3, claim.previousLastTriggered());
                    st.setString(4, lease.loopId());
                    setTime(st, 5, claim.slot());
                    setTime(st, 6, claim.next());
                    st.executeUpdate();
                }
            } else {
                try (PreparedStatement st = c.prepareStatement("UPDATE loop_state SET last_triggered_at = ?"
                        + " WHERE loop_id = ? AND last_triggered_at = ?")) {
                    setTime(st, 1, previousLastTriggered);
                    st.setString(2, lease.loopId());
                    setTime(st, 3, lease.acquiredAt());
                    st.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public boolean release(String tickId) {
        return inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement("DELETE FROM tick_lease WHERE tick_id = ?")) {
                st.setString(1, tickId);
                return st.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<TickLease> liveLeases(Instant now) {
        return withConnection(c -> {
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT " + LEASE_COLUMNS + " FROM tick_lease WHERE expires_at > ? ORDER BY acquired_at")) {
                setTime(st, 1, now);
                List<TickLease> leases = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        leases.add(readLease(rs));
                    }
                }
                return leases;
            }
        });
    }

    private static TickLease readLease(ResultSet rs) throws SQLException {
        return new TickLease(
                rs.getString("loop_id"),
                rs.getString("tick_id"),
                rs.getString("team"),
                rs.getString("repo"),
                rs.getBoolean("writes"),
                rs.getString("trigger_kind"),
                rs.getString("holder"),
                instant(rs, "acquired_at"),
                instant(rs, "expires_at"));
    }

    // ------------------------------------------------------------------------------------------ outcomes

    @Override
    public Optional<List<TickCompleted.Outcome>> recordOutcome(
            String loopId, String tickId, TickCompleted.Outcome outcome, Instant at, int window) {
        return inTransaction(c -> {
            insertState(c, loopId);
            // one completion of a loop at a time: the row lock orders concurrent completions
            try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM loop_state WHERE loop_id = ? FOR UPDATE")) {
                st.setString(1, loopId);
                st.executeQuery().close();
            }
            try (PreparedStatement st = c.prepareStatement("INSERT INTO loop_outcome (tick_id, loop_id, outcome,"
                    + " recorded_at) VALUES (?, ?, ?, ?) ON CONFLICT (tick_id) DO NOTHING")) {
                st.setString(1, tickId);
                st.setString(2, loopId);
                st.setString(3, outcome.wireName());
                setTime(st, 4, at);
                if (st.executeUpdate() == 0) {
                    return Optional.<List<TickCompleted.Outcome>>empty();
                }
            }
            try (PreparedStatement st = c.prepareStatement("DELETE FROM loop_outcome WHERE loop_id = ? AND seq <="
                    + " (SELECT seq FROM loop_outcome WHERE loop_id = ? ORDER BY seq DESC OFFSET ? LIMIT 1)")) {
                st.setString(1, loopId);
                st.setString(2, loopId);
                st.setInt(3, Math.max(OUTCOMES_KEPT, window));
                st.executeUpdate();
            }
            Map<String, List<TickCompleted.Outcome>> outcomes = new HashMap<>();
            try (PreparedStatement st = c.prepareStatement(RECENT_OUTCOMES.formatted(" AND o.loop_id = ?"))) {
                st.setString(1, loopId);
                st.setInt(2, window);
                readOutcomes(st, outcomes);
            }
            return Optional.of(Collections.unmodifiableList(outcomes.getOrDefault(loopId, List.of())));
        });
    }

    // ------------------------------------------------------------------------------------------ leadership

    @Override
    public Optional<LeaderLease> claimLeadership(String holder, Duration ttl) {
        return inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement("INSERT INTO scheduler_leader AS l"
                    + " (id, holder, acquired_at, expires_at)"
                    + " VALUES (1, ?, now(), now() + make_interval(secs => ?))"
                    + " ON CONFLICT (id) DO UPDATE SET holder = EXCLUDED.holder,"
                    + " acquired_at = CASE WHEN l.holder = EXCLUDED.holder AND l.expires_at > now()"
                    + " THEN l.acquired_at ELSE now() END,"
                    + " expires_at = EXCLUDED.expires_at"
                    + " WHERE l.holder = EXCLUDED.holder OR l.expires_at <= now()"
                    + " RETURNING holder, acquired_at, expires_at")) {
                st.setString(1, holder);
                st.setDouble(2, ttl.toMillis() / 1000.0);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(readLeader(rs)) : Optional.<LeaderLease>empty();
                }
            }
        });
    }

    @Override
    public Optional<LeaderLease> leader() {
        return withConnection(c -> {
            try (PreparedStatement st =
                            c.prepareStatement("SELECT holder, acquired_at, expires_at FROM scheduler_leader");
                    ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(readLeader(rs)) : Optional.<LeaderLease>empty();
            }
        });
    }

    @Override
    public void resign(String holder) {
        inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement("DELETE FROM scheduler_leader WHERE holder = ?")) {
                st.setString(1, holder);
                st.executeUpdate();
            }
            return null;
        });
    }

    private static LeaderLease readLeader(ResultSet rs) throws SQLException {
        return new LeaderLease(rs.getString("holder"), instant(rs, "acquired_at"), instant(rs, "expires_at"));
    }

    // ------------------------------------------------------------------------------------------ times

    private static void setTime(PreparedStatement st, int index, Instant at) throws SQLException {
        st.setObject(
                index,
                at == null ? null : OffsetDateTime.ofInstant(at.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC),
                java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
