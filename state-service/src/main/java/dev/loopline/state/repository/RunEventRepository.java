package dev.loopline.state.repository;

import dev.loopline.schemas.events.Event;
import dev.loopline.state.service.IncomingEvent;
import dev.loopline.state.service.MessageOrigin;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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
     * Appends every event whose id is not stored yet, as one JDBC batch (one round trip), with the same statement
     * and the same no-gap rule as {@link #insertIfAbsent}. The caller passes distinct ids.
     *
     * @return the events this call inserted, in the order given; duplicates are left out
     */
    public List<IncomingEvent> insertAllIfAbsent(List<IncomingEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        return getEntityManager().unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    """
                    INSERT INTO run_event (id, type, source, time, loop_id, tick_id, team, attempt, payload,
                                           received_at, kafka_topic, kafka_partition, kafka_offset)
                    SELECT CAST(? AS uuid), ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), now(), ?, ?, ?
                     WHERE NOT EXISTS (SELECT 1 FROM run_event WHERE id = CAST(? AS uuid))
                    ON CONFLICT (id) DO NOTHING
                    """)) {
                for (IncomingEvent incoming : events) {
                    Event event = incoming.event();
                    MessageOrigin origin = incoming.origin();
                    insert.setString(1, event.id().toString());
                    insert.setString(2, event.type());
                    insert.setString(3, event.source());
                    insert.setObject(4, OffsetDateTime.ofInstant(event.time(), ZoneOffset.UTC));
                    insert.setString(5, event.loopId());
                    insert.setString(6, event.tickId());
                    insert.setString(7, event.team());
                    insert.setInt(8, event.attempt());
                    insert.setString(9, incoming.dataJson());
                    insert.setString(10, origin.topic());
                    insert.setObject(11, origin.partition(), Types.INTEGER);
                    insert.setObject(12, origin.offset(), Types.BIGINT);
                    insert.setString(13, event.id().toString());
                    insert.addBatch();
                }
                int[] counts = insert.executeBatch();
                List<IncomingEvent> inserted = new ArrayList<>();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] == 1) {
                        inserted.add(events.get(i));
                    }
                }
                return inserted;
            }
        });
    }

    public List<RunEventEntity> timeline(String tickId) {
        return list("tickId", Sort.ascending("time", "attempt", "receivedAt"), tickId);
    }

    /** Run events with {@code after < seq <= upTo}, in sequence order, at most {@code limit}. */
    public List<RunEventEntity> sequenceRange(long after, long upTo, int limit) {
        return find("seq > ?1 and seq <= ?2", Sort.ascending("seq"), after, upTo)
                .page(io.quarkus.panache.common.Page.ofSize(limit))
                .list();
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
