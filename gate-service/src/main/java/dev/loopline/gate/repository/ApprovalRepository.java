package dev.loopline.gate.repository;

import dev.loopline.gate.approval.ApprovalNotice.Channel;
import dev.loopline.gate.approval.ApprovalNotice.State;
import dev.loopline.gate.approval.ApprovalNotice.Vote;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The gate's approval requests, votes, tick triggers and event outbox on PostgreSQL with plain JDBC (tables in
 * {@code db/migration/V1__approvals.sql}). Deciding methods take the caller's connection, so that the row lock taken
 * by {@link #lock} holds until the caller's transaction ends: two replicas voting on one request serialise on it.
 */
public class ApprovalRepository {

    /** One stored request. */
    public record Row(
            String id,
            String team,
            String loopId,
            String tickId,
            int attempt,
            String repo,
            String branch,
            String baseRef,
            String baseSha,
            String commit,
            String diffSha256,
            String policyVersion,
            String summary,
            String triggeredBy,
            String verdict,
            State state,
            int quorum,
            Instant openedAt,
            Instant expiresAt,
            String reason,
            Instant decidedAt,
            String mergedCommit,
            String reverifyBase,
            int reverifyRound) {}

    /** A filter of {@link #list}; null fields match everything. */
    public record Filter(String team, String loopId, State state, int limit) {}

    /** Work done inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private static final String COLUMNS = "id, team, loop_id, tick_id, attempt, repo, branch, base_ref, base_sha,"
            + " commit_sha, diff_sha256, policy_version, summary, triggered_by, verdict, state, quorum, opened_at,"
            + " expires_at, reason, decided_at, merged_commit, reverify_base, reverify_round";

    private final DataSource dataSource;

    public ApprovalRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("approval store: " + e.getMessage(), e);
        }
    }

    /** Stores a new request; false when one for its (tick, attempt) exists already (a redelivered verdict). */
    public boolean insert(Connection c, Row r) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO approval_request (" + COLUMNS + ") VALUES"
                + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            int i = 0;
            st.setString(++i, r.id());
            st.setString(++i, r.team());
            st.setString(++i, r.loopId());
            st.setString(++i, r.tickId());
            st.setInt(++i, r.attempt());
            st.setString(++i, r.repo());
            st.setString(++i, r.branch());
            st.setString(++i, r.baseRef());
            st.setString(++i, r.baseSha());
            st.setString(++i, r.commit());
            st.setString(++i, r.diffSha256());
            st.setString(++i, r.policyVersion());
            st.setString(++i, r.summary());
            st.setString(++i, r.triggeredBy());
            st.setString(++i, r.verdict());
            st.setString(++i, r.state().name());
            st.setInt(++i, r.quorum());
            st.setTimestamp(++i, ts(r.openedAt()));
            st.setTimestamp(++i, ts(r.expiresAt()));
            st.setString(++i, r.reason());
            st.setTimestamp(++i, ts(r.decidedAt()));
            st.setString(++i, r.mergedCommit());
            st.setString(++i, r.reverifyBase());
            st.setInt(++i, r.reverifyRound());
            return st.executeUpdate() == 1;
        }
    }

    /** The request, locked until the transaction ends. */
    public Optional<Row> lock(Connection c, String id) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM approval_request WHERE id = ? FOR UPDATE", id);
    }

    public Optional<Row> find(Connection c, String id) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM approval_request WHERE id = ?", id);
    }

    public Optional<Row> find(String id) {
        return inTransaction(c -> find(c, id));
    }

    /** Requests, newest first. */
    public List<Row> list(Filter filter) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM approval_request WHERE true");
        List<String> args = new ArrayList<>();
        if (filter.team() != null) {
            sql.append(" AND team = ?");
            args.add(filter.team());
        }
        if (filter.loopId() != null) {
            sql.append(" AND loop_id = ?");
            args.add(filter.loopId());
        }
        if (filter.state() != null) {
            sql.append(" AND state = ?");
            args.add(filter.state().name());
        }
        sql.append(" ORDER BY opened_at DESC, id LIMIT ").append(Math.max(1, filter.limit()));
        return inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    st.setString(i + 1, args.get(i));
                }
                return rows(st);
            }
        });
    }

    /** Ids of the open requests of a tick made for another attempt than {@code attempt}. */
    public List<String> openOfOtherAttempts(Connection c, String tickId, int attempt) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT id FROM approval_request WHERE tick_id = ? AND attempt <> ? AND state = 'OPEN' ORDER BY id")) {
            st.setString(1, tickId);
            st.setInt(2, attempt);
            return ids(st);
        }
    }

    /** Ids of the open requests whose expiry has passed. */
    public List<String> expired(Instant now, int limit) {
        return inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT id FROM approval_request WHERE state = 'OPEN'"
                    + " AND expires_at <= ? ORDER BY expires_at LIMIT ?")) {
                st.setTimestamp(1, ts(now));
                st.setInt(2, limit);
                return ids(st);
            }
        });
    }

    /** Ids of open requests with their quorum of approvals whose merge is not waiting for a re-verification. */
    public List<String> approvedButUnmerged(int limit) {
        return inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT r.id FROM approval_request r WHERE r.state = 'OPEN'"
                    + " AND r.reverify_base IS NULL AND (SELECT count(*) FROM approval_vote v"
                    + " WHERE v.approval_id = r.id AND v.approve) >= r.quorum ORDER BY r.opened_at LIMIT ?")) {
                st.setInt(1, limit);
                return ids(st);
            }
        });
    }

    /**
     * Ids of the open requests whose approved change was sent back to the guard at or before {@code cutoff} and has
     * had no verdict since.
     */
    public List<String> reverificationsOverdue(Instant cutoff, int limit) {
        return inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT id FROM approval_request WHERE state = 'OPEN'"
                    + " AND reverify_base IS NOT NULL AND reverify_since <= ? ORDER BY reverify_since LIMIT ?")) {
                st.setTimestamp(1, ts(cutoff));
                st.setInt(2, limit);
                return ids(st);
            }
        });
    }

    /** When the pending re-verification of a request was asked for; empty when none is pending. */
    public Optional<Instant> reverifyingSince(Connection c, String id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT reverify_since FROM approval_request WHERE id = ?"
                + " AND reverify_base IS NOT NULL AND reverify_since IS NOT NULL")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.empty();
            }
        }
    }

    /** Moves a request to a final state. */
    public void close(Connection c, String id, State state, String reason, Instant at, String mergedCommit)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE approval_request SET state = ?, reason = ?,"
                + " decided_at = ?, merged_commit = ?, reverify_base = NULL, reverify_since = NULL"
                + " WHERE id = ? AND state = 'OPEN'")) {
            st.setString(1, state.name());
            st.setString(2, reason);
            st.setTimestamp(3, ts(at));
            st.setString(4, mergedCommit);
            st.setString(5, id);
            if (st.executeUpdate() != 1) {
                throw new IllegalStateException("approval " + id + " is no longer open");
            }
        }
    }

    /**
     * Updates the reason of an open request (a held or failed merge) and ends any pending re-verification: the sweep
     * retries the merge.
     */
    public void note(Connection c, String id, String reason) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE approval_request SET reason = ?, reverify_base = NULL,"
                + " reverify_since = NULL WHERE id = ? AND state = 'OPEN'")) {
            st.setString(1, reason);
            st.setString(2, id);
            st.executeUpdate();
        }
    }

    /**
     * Records that the approved change of an open request was sent back to the guard on {@code base} at {@code
     * since} (round {@code round}): its merge waits for that verdict, at most the re-verification timeout.
     */
    public void reverifying(Connection c, String id, String reason, String base, int round, Instant since)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE approval_request SET reason = ?, reverify_base = ?,"
                + " reverify_round = ?, reverify_since = ? WHERE id = ? AND state = 'OPEN'")) {
            st.setString(1, reason);
            st.setString(2, base);
            st.setInt(3, round);
            st.setTimestamp(4, ts(since));
            st.setString(5, id);
            st.executeUpdate();
        }
    }

    /** Records a vote; false when this voter has voted on the request already. */
    public boolean vote(Connection c, String id, Vote vote) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO approval_vote (approval_id, voter, approve,"
                + " channel, comment, voted_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            st.setString(1, id);
            st.setString(2, vote.by());
            st.setBoolean(3, vote.approve());
            st.setString(4, vote.channel().name());
            st.setString(5, vote.comment());
            st.setTimestamp(6, ts(vote.at()));
            return st.executeUpdate() == 1;
        }
    }

    /** The votes of a request, in the order they were cast. */
    public List<Vote> votes(Connection c, String id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT voter, approve, channel, comment, voted_at FROM"
                + " approval_vote WHERE approval_id = ? ORDER BY voted_at, voter")) {
            st.setString(1, id);
            List<Vote> votes = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    votes.add(new Vote(
                            rs.getString(1),
                            Channel.valueOf(rs.getString(3)),
                            rs.getBoolean(2),
                            rs.getString(4),
                            rs.getTimestamp(5).toInstant()));
                }
            }
            return votes;
        }
    }

    /** Remembers who triggered a tick; the first record of a tick wins. */
    public void recordTrigger(String tickId, String kind, String by, Instant at) {
        inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement("INSERT INTO tick_trigger (tick_id, kind, triggered_by,"
                    + " seen_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                st.setString(1, tickId);
                st.setString(2, kind);
                st.setString(3, by);
                st.setTimestamp(4, ts(at));
                return st.executeUpdate();
            }
        });
    }

    /** Who triggered the tick, as {@code <kind>:<by>} for automatic triggers and the user name for manual ones. */
    public Optional<String> triggeredBy(Connection c, String tickId) throws SQLException {
        try (PreparedStatement st =
                c.prepareStatement("SELECT kind, triggered_by FROM tick_trigger WHERE tick_id = ?")) {
            st.setString(1, tickId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String kind = rs.getString(1);
                String by = rs.getString(2);
                return Optional.of("manual".equals(kind) ? by : kind + ":" + by);
            }
        }
    }

    /** Queues an event to publish after the transaction commits. */
    public void enqueue(Connection c, UUID eventId, String event, Instant at) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO approval_outbox (event_id, event, created_at)"
                + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            st.setObject(1, eventId);
            st.setString(2, event);
            st.setTimestamp(3, ts(at));
            st.executeUpdate();
        }
    }

    /** An outbox entry claimed for sending. */
    public record Outgoing(UUID eventId, String event) {}

    /**
     * Claims unsent events (never claimed, or claimed before {@code staleBefore} by a sender that did not finish), so
     * that two replicas flushing at once never send one event twice.
     */
    public List<Outgoing> claim(Instant now, Instant staleBefore, int limit) {
        return inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement("UPDATE approval_outbox SET claimed_at = ? WHERE event_id"
                    + " IN (SELECT event_id FROM approval_outbox WHERE sent_at IS NULL AND (claimed_at IS NULL OR"
                    + " claimed_at < ?) ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED)"
                    + " RETURNING event_id, event, created_at")) {
                st.setTimestamp(1, ts(now));
                st.setTimestamp(2, ts(staleBefore));
                st.setInt(3, limit);
                List<Outgoing> out = new ArrayList<>();
                List<Instant> created = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Outgoing(rs.getObject(1, UUID.class), rs.getString(2)));
                        created.add(rs.getTimestamp(3).toInstant());
                    }
                }
                // publish in the order the events were written (RETURNING does not keep the sub-select's order)
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < out.size(); i++) {
                    order.add(i);
                }
                order.sort((a, b) -> created.get(a).compareTo(created.get(b)));
                return order.stream().map(out::get).toList();
            }
        });
    }

    /** Marks a claimed event sent, or releases the claim so the next flush retries it. */
    public void settle(UUID eventId, boolean sent, Instant now) {
        inTransaction(c -> {
            try (PreparedStatement st =
                    c.prepareStatement("UPDATE approval_outbox SET sent_at = ?, claimed_at = ? WHERE event_id = ?")) {
                st.setTimestamp(1, sent ? ts(now) : null);
                st.setTimestamp(2, sent ? ts(now) : null);
                st.setObject(3, eventId);
                return st.executeUpdate();
            }
        });
    }

    private static Optional<Row> one(Connection c, String sql, String id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, id);
            List<Row> rows = rows(st);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        }
    }

    private static List<Row> rows(PreparedStatement st) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row(
                        rs.getString("id"),
                        rs.getString("team"),
                        rs.getString("loop_id"),
                        rs.getString("tick_id"),
                        rs.getInt("attempt"),
                        rs.getString("repo"),
                        rs.getString("branch"),
                        rs.getString("base_ref"),
                        rs.getString("base_sha"),
                        rs.getString("commit_sha"),
                        rs.getString("diff_sha256"),
                        rs.getString("policy_version"),
                        rs.getString("summary"),
                        rs.getString("triggered_by"),
                        rs.getString("verdict"),
                        State.valueOf(rs.getString("state")),
                        rs.getInt("quorum"),
                        instant(rs, "opened_at"),
                        instant(rs, "expires_at"),
                        rs.getString("reason"),
                        instant(rs, "decided_at"),
                        rs.getString("merged_commit"),
                        rs.getString("reverify_base"),
                        rs.getInt("reverify_round")));
            }
        }
        return rows;
    }

    private static List<String> ids(PreparedStatement st) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    /** Postgres keeps microseconds: truncate so a value read back equals the one written. */
    public static Instant micros(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
    }

    private static Timestamp ts(Instant t) {
        return t == null ? null : Timestamp.from(micros(t));
    }
}
