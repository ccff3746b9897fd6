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
     * Appends the event unless a row with its id exists.
     *
     * @return true when this call inserted it, false for a duplicate (redelivery or a re-emitted event)
     */
    public boolean insertIfAbsent(Event event, String dataJson, MessageOrigin origin) {
        int inserted = getEntityManager()
                .createNativeQuery(
                        """
                        INSERT INTO run_event (id, type, source, time, loop_id, tick_id, team, attempt, payload,
                                               received_at, kafka_topic, kafka_partition, kafka_offset)
                        VALUES (:id, :type, :source, :time, :loopId, :tickId, :team, :attempt, CAST(:payload AS jsonb),
                                now(), :topic, :partition, :offset)
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

    public long countById(UUID id) {
        return count("id", id);
    }
}
