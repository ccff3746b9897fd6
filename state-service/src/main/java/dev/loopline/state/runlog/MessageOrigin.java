package dev.loopline.state.runlog;

/** Where a consumed message came from: its Kafka topic, partition, offset and key (may be null). */
public record MessageOrigin(String topic, int partition, long offset, String key) {}
