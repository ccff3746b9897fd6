package dev.loopline.state.runlog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;

/** One row of the append-only run log: an event exactly as received, once. Written by native insert only. */
@Entity
@Immutable
@Table(name = "run_event")
public class RunEventEntity {

    @Id
    public UUID id;

    /** Position in the run log, assigned by the database at insert; the live stream's event id. */
    @Column(insertable = false, updatable = false)
    public Long seq;

    public String type;

    public String source;

    public Instant time;

    @Column(name = "loop_id")
    public String loopId;

    @Column(name = "tick_id")
    public String tickId;

    public String team;

    public int attempt;

    /** The event's {@code data} as received (jsonb, read as text). */
    public String payload;

    @Column(name = "received_at")
    public Instant receivedAt;

    @Column(name = "kafka_topic")
    public String kafkaTopic;

    @Column(name = "kafka_partition")
    public Integer kafkaPartition;

    @Column(name = "kafka_offset")
    public Long kafkaOffset;
}
