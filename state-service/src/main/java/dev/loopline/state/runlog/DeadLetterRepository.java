package dev.loopline.state.runlog;

import dev.loopline.schemas.events.DeadLetter;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;

@ApplicationScoped
public class DeadLetterRepository implements PanacheRepositoryBase<DeadLetterEntity, Long> {

    /** Stores a dead letter once per source message: a redelivered poison message adds no second row. */
    public void insertIfAbsent(DeadLetter deadLetter) {
        getEntityManager()
                .createNativeQuery(
                        """
                        INSERT INTO dead_letter (service, topic, kafka_partition, kafka_offset, kafka_key, reason,
                                                 payload, time)
                        VALUES (:service, :topic, :partition, :offset, :key, :reason, :payload, :time)
                        ON CONFLICT ON CONSTRAINT dead_letter_source_unique DO NOTHING
                        """)
                .setParameter("service", deadLetter.service())
                .setParameter("topic", deadLetter.topic())
                .setParameter("partition", deadLetter.partition())
                .setParameter("offset", deadLetter.offset())
                .setParameter("key", new TypedParameterValue<>(StandardBasicTypes.STRING, deadLetter.key()))
                .setParameter("reason", deadLetter.reason())
                .setParameter("payload", deadLetter.payload() == null ? "" : deadLetter.payload())
                .setParameter("time", deadLetter.time())
                .executeUpdate();
    }

    public List<DeadLetterEntity> recent(int limit) {
        return findAll(Sort.descending("time", "id")).page(Page.ofSize(limit)).list();
    }
}
