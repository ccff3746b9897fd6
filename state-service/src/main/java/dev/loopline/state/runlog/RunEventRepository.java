package dev.loopline.state.runlog;

import dev.loopline.schemas.events.Event;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hibernate.Session;

@ApplicationScoped
public class RunEventRepository implements PanacheRepositoryBase<RunEventEntity, UUID> {

    /**
     * Appends the event unless a row with its id exists. The existence check comes first so that a duplicate
     * (the common case of a redelivery) does not draw a {@code seq} number and leave a gap in the stream's sequence.
     *
     * @return true when this call inserted it, false for a duplicate (redelivery or a re-emitted event)
     */
    public boolean insertIfAbsent(Event event, String dataJson, MessageOrigin origin) {
        int inserted = getEntityManager()
                .createNativeQuery(
                        """
                        INSERT INTO run_event (id, type, source, time, loop_id, tick_id, team, attempt, payload,
                                               received_at, kafka_topic, kafka_partition, kafka_offset)
                        SELECT CAST(:id AS uuid), :type, :source, :time, :loopId, :tickId, :team, :attempt,
                               CAST(:payload AS jsonb), now(), :topic, :partition, :offset
                         WHERE NOT EXISTS (SELECT 1 FROM run_event WHERE id = CAST(:id AS uuid))
                        ON CONFLICT (id) DO NOTHING
                        """)
                .setParameter("id", event.id())
                .setParameter("type", event.type())
                .setParameter("source", event.source())
                .setParameter("time", event.time())
                .setParameter("loopId", event.loopId())
                .setParameter("tickId", event.tickId())
                .setParameter("team", event.team())
                .setParameter("attempt", event.attempt())
                .setParameter("payload", dataJson)
                .setParameter("topic", origin.topic())
                .setParameter("partition", origin.partition())
                .setParameter("offset", origin.offset())
                .executeUpdate();
        return inserted == 1;
    }

    /**
     * Appends every event whose id is not stored yet, in one statement over arrays (one round trip, and one executor
     * run in Postgres instead of one per event), with the same no-gap rule as {@link #insertIfAbsent}: the existence
     * check filters the rows before they draw a {@code seq}, which they draw in the order given. The caller passes
     * distinct ids.
     *
     * @return the events this call inserted, in the order given; duplicates are left out
     */
    public List<IncomingEvent> insertAllIfAbsent(List<IncomingEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        return getEntityManager().unwrap(Session.class).doReturningWork(connection -> {
            int n = events.size();
            String[] ids = new String[n];
            String[] types = new String[n];
            String[] sources = new String[n];
            String[] times = new String[n];
            String[] loops = new String[n];
            String[] ticks = new String[n];
            String[] teams = new String[n];
            String[] attempts = new String[n];
            String[] payloads = new String[n];
            String[] topics = new String[n];
            String[] partitions = new String[n];
            String[] offsets = new String[n];
            for (int i = 0; i < n; i++) {
                Event event = events.get(i).event();
                MessageOrigin origin = events.get(i).origin();
                ids[i] = event.id().toString();
                types[i] = event.type();
                sources[i] = event.source();
                times[i] = event.time().toString();
                loops[i] = event.loopId();
                ticks[i] = event.tickId();
                teams[i] = event.team();
                attempts[i] = Integer.toString(event.attempt());
                payloads[i] = events.get(i).dataJson();
                topics[i] = origin.topic();
                partitions[i] = Integer.toString(origin.partition());
                offsets[i] = Long.toString(origin.offset());
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    """
                    INSERT INTO run_event (id, type, source, time, loop_id, tick_id, team, attempt, payload,
                                           received_at, kafka_topic, kafka_partition, kafka_offset)
                    SELECT CAST(v.id AS uuid), v.type, v.source, CAST(v.time AS timestamptz), v.loop_id, v.tick_id,
                           v.team, CAST(v.attempt AS integer), CAST(v.payload AS jsonb), now(), v.topic,
                           CAST(v.part AS integer), CAST(v.off AS bigint)
                      FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                                  CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                                  CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]))
                           WITH ORDINALITY AS v(id, type, source, time, loop_id, tick_id, team, attempt, payload, topic,
                                                part, off, n)
                     WHERE NOT EXISTS (SELECT 1 FROM run_event e WHERE e.id = CAST(v.id AS uuid))
                     ORDER BY v.n
                    ON CONFLICT (id) DO NOTHING
                    RETURNING id
                    """)) {
                String[][] columns = {
                    ids, types, sources, times, loops, ticks, teams, attempts, payloads, topics, partitions, offsets
                };
                for (int c = 0; c < columns.length; c++) {
                    insert.setArray(c + 1, connection.createArrayOf("text", columns[c]));
                }
                Set<UUID> inserted = new HashSet<>();
                try (ResultSet rs = insert.executeQuery()) {
                    while (rs.next()) {
                        inserted.add(rs.getObject(1, UUID.class));
                    }
                }
                List<IncomingEvent> fresh = new ArrayList<>(inserted.size());
                for (IncomingEvent incoming : events) {
                    if (inserted.contains(incoming.event().id())) {
                        fresh.add(incoming);
                    }
                }
                return fresh;
            }
        });
    }

    public List<RunEventEntity> timeline(String tickId) {
        return list("tickId", Sort.ascending("time", "attempt", "receivedAt"), tickId);
    }

    /**
     * The live stream's read: run events with {@code after < seq <= upTo}, in sequence order, at most {@code limit},
     * each with its tick as it is now. One query into plain records, no entities: the stream reads every event it
     * hands out, so this is the run log's hottest read after the insert.
     */
    public List<StreamData> streamRange(long after, long upTo, int limit) {
        return getEntityManager().unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    """
                    SELECT e.seq, e.id, e.type, e.time, e.loop_id, e.tick_id, e.team, e.attempt, e.source,
                           CAST(e.payload AS text),
                           t.tick_id, t.loop_id, t.team, t.status, t.outcome, t.decision, t.reason, t.level, t.kind,
                           t.trigger_kind, t.triggered_by, t.attempts, t.tokens, t.branch, t.commit_sha, t.started_at,
                           t.triggered_at, t.completed_at, t.updated_at, t.approval_id, t.resolution,
                           t.resolution_reason, t.resolved_at
                      FROM run_event e LEFT JOIN tick t ON t.tick_id = e.tick_id
                     WHERE e.seq > ? AND e.seq <= ?
                     ORDER BY e.seq
                     LIMIT ?
                    """)) {
                select.setLong(1, after);
                select.setLong(2, upTo);
                select.setInt(3, limit);
                List<StreamData> rows = new ArrayList<>(limit);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new StreamData(streamedTick(rs, 11), streamedEvent(rs)));
                    }
                }
                return rows;
            }
        });
    }

    private static StreamData.EventView streamedEvent(ResultSet rs) throws SQLException {
        return new StreamData.EventView(
                rs.getLong(1),
                rs.getObject(2, UUID.class),
                rs.getString(3),
                instant(rs, 4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getInt(8),
                rs.getString(9),
                rs.getString(10));
    }

    /** The tick's columns from {@code first} on, in {@link TickView}'s order; null when the join found none. */
    private static TickView streamedTick(ResultSet rs, int first) throws SQLException {
        String tickId = rs.getString(first);
        if (tickId == null) {
            return null;
        }
        int c = first;
        return new TickView(
                tickId,
                rs.getString(++c),
                rs.getString(++c),
                rs.getString(++c),
                rs.getString(++c),
                rs.getString(++c),
                rs.getString(++c),
                rs.getString(++c),
                rs.getString(++c),
                rs.getString(++c),
                rs.getString(++c),
                rs.getInt(++c),
                rs.getLong(++c),
                rs.getString(++c),
                rs.getString(++c),
                instant(rs, ++c),
                instant(rs, ++c),
                instant(rs, ++c),
                instant(rs, ++c),
                rs.getString(++c),
                rs.getString(++c),
                rs.getString(++c),
                instant(rs, ++c));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    /** The sequence numbers after {@code after}, ascending, at most {@code limit}. */
    @SuppressWarnings("unchecked")
    public List<Long> sequenceNumbersAfter(long after, int limit) {
        return ((List<Number>) getEntityManager()
                        .createNativeQuery("SELECT seq FROM run_event WHERE seq > :after ORDER BY seq LIMIT :limit")
                        .setParameter("after", after)
                        .setParameter("limit", limit)
                        .getResultList())
                .stream().map(Number::longValue).toList();
    }

    public long maxSequence() {
        Object max = getEntityManager()
                .createNativeQuery("SELECT COALESCE(MAX(seq), 0) FROM run_event")
                .getSingleResult();
        return ((Number) max).longValue();
    }

    public long countById(UUID id) {
        return count("id", id);
    }
}
