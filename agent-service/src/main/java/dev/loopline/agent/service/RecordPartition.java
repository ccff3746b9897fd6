package dev.loopline.agent.service;

/** The Kafka partition a record was read from: a tick attempt belongs to the worker that holds it. */
public record RecordPartition(String topic, int partition) {

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
