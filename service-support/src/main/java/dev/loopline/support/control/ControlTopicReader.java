package dev.loopline.support.control;

import dev.loopline.schemas.control.ControlCodec;
import dev.loopline.schemas.control.ControlRecord;
import dev.loopline.schemas.control.InvalidControlRecordException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads the compacted control topic whole, on its own thread, into a {@link Sink}: a broadcast, so no consumer group
 * (every replica reads every partition from the beginning, nothing is committed) — see ADR 0006. Once the positions
 * reach the end offsets taken at start-up the sink is told it has caught up. An invalid record goes to the sink's
 * dead-letter handler and is skipped; nothing here stops the thread but {@link #stop()}.
 */
public final class ControlTopicReader {

    /** Where the records go; called from the reader's thread only. */
    public interface Sink {
        void apply(ControlRecord record);

        /** A tombstone: the key holds nothing any more. */
        void remove(String key);

        boolean caughtUp();

        /** The topic has been read up to its end offsets as of start-up. */
        void markCaughtUp();

        /** The reader has just read every partition up to its current end offset (checked every few seconds). */
        void markInSync();

        /** An invalid record; must not block (the reader's thread waits for nothing). */
        void deadLetter(ConsumerRecord<String, String> record, String reason);

        /** A sink that keeps {@code state} and hands invalid records to {@code deadLetter}. */
        static Sink into(ControlState state, BiConsumer<ConsumerRecord<String, String>, String> deadLetter) {
            return new Sink() {
                @Override
                public void apply(ControlRecord record) {
                    state.apply(record);
                }

                @Override
                public void remove(String key) {
                    state.remove(key);
                }

                @Override
                public boolean caughtUp() {
                    return state.caughtUp();
                }

                @Override
                public void markCaughtUp() {
                    state.markCaughtUp();
                }

                @Override
                public void markInSync() {
                    state.markInSync();
                }

                @Override
                public void deadLetter(ConsumerRecord<String, String> record, String reason) {
                    deadLetter.accept(record, reason);
                }
            };
        }
    }

    private static final Logger LOG = Logger.getLogger(ControlTopicReader.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(1);
    /** How often the reader asks the broker for the end offsets to tell that it is still in sync. */
    static final Duration SYNC_CHECK = Duration.ofSeconds(2);

    private final Map<String, Object> kafka;
    private final String topic;
    private final String service;
    private final String waiting;
    private final Sink sink;
    private final Object retryLock = new Object();
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private volatile boolean running;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    /**
     * @param kafka the service's Kafka client settings (bootstrap servers, security); group settings are dropped
     * @param service the service's name, for the client id and the thread name
     * @param waiting what waits while the topic does not exist, for the log (e.g. "ticks")
     */
    public ControlTopicReader(Map<String, Object> kafka, String topic, String service, String waiting, Sink sink) {
        this.kafka = Map.copyOf(kafka);
        this.topic = Objects.requireNonNull(topic, "topic");
        this.service = Objects.requireNonNull(service, "service");
        this.waiting = Objects.requireNonNull(waiting, "waiting");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    public synchronized void start() {
        running = true;
        thread = new Thread(this::run, service + "-control-reader");
        thread.setDaemon(true);
        thread.start();
    }

    public synchronized void stop() {
        running = false;
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        synchronized (retryLock) {
            retryLock.notifyAll();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, String> c = newConsumer()) {
                consumer = c;
                consume(c);
            } catch (WakeupException e) {
                // shutdown
            } catch (RuntimeException e) {
                LOG.warnf("reading control topic %s failed (retrying): %s", topic, e.toString());
                pause();
            } finally {
                consumer = null;
            }
        }
    }

    private void consume(KafkaConsumer<String, String> c) {
        List<TopicPartition> partitions = partitions(c);
        if (partitions.isEmpty()) {
            return;
        }
        c.assign(partitions);
        for (TopicPartition partition : partitions) {
            Long position = positions.get(partition);
            if (position == null) {
                c.seekToBeginning(List.of(partition));
            } else {
                // after a reconnect, go on where we were: replaying from the start would briefly revive old states
                c.seek(partition, position);
            }
        }
        Map<TopicPartition, Long> end = c.endOffsets(partitions);
        long endAsOf = System.nanoTime();
        while (running) {
            for (ConsumerRecord<String, String> record : c.poll(POLL)) {
                handle(record);
                positions.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
            }
            if (reached(c, end)) {
                if (!sink.caughtUp()) {
                    sink.markCaughtUp();
                }
                sink.markInSync();
                // in sync with the ends as they were; ask again now and then, so that a reader that stops reading
                // (broker gone, thread dead) stops being in sync and admissions fail closed
                if (System.nanoTime() - endAsOf >= SYNC_CHECK.toNanos()) {
                    end = c.endOffsets(partitions);
                    endAsOf = System.nanoTime();
                }
            }
        }
    }

    private static boolean reached(KafkaConsumer<String, String> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (c.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** One record: applied, a tombstone removed, or an invalid one dead-lettered. */
    public void handle(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            if (record.key() != null) {
                sink.remove(record.key());
            }
            return;
        }
        try {
            sink.apply(ControlCodec.decode(record.key(), record.value()));
        } catch (InvalidControlRecordException e) {
            LOG.warnf(
                    "dead letter from %s[%d]@%d: %s",
                    record.topic(), record.partition(), record.offset(), e.getMessage());
            sink.deadLetter(record, e.getMessage());
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, String> c) {
        List<PartitionInfo> infos = c.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            LOG.warnf(
                    "control topic %s does not exist yet: not ready, %s wait (it must be created compacted)",
                    topic, waiting);
            pause();
            return List.of();
        }
        return infos.stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
    }

    private void pause() {
        synchronized (retryLock) {
            if (running) {
                try {
                    retryLock.wait(RETRY.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
    }

    private KafkaConsumer<String, String> newConsumer() {
        Map<String, Object> props = new HashMap<>(kafka);
        props.keySet().removeIf(k -> k.startsWith("devservices"));
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, service + "-control-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }
}
