package dev.loopline.state.repository;

import dev.loopline.schemas.events.Event;
import dev.loopline.state.service.MessageOrigin;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

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
