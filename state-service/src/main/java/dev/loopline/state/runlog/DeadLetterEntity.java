package dev.loopline.state.runlog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;

/** A message this service dead-lettered, kept for the dashboard. Written by native insert only. */
@Entity
@Immutable
@Table(name = "dead_letter")
public class DeadLetterEntity {

    @Id
    public Long id;

    public String service;

    public String topic;

    @Column(name = "kafka_partition")
    public int partition;

    @Column(name = "kafka_offset")
    public long offset;

    @Column(name = "kafka_key")
    public String key;

    public String reason;

    public String payload;

    public Instant time;
}
