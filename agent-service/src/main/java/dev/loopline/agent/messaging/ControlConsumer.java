package dev.loopline.agent.messaging;

import dev.loopline.agent.config.AgentConfig;
import dev.loopline.agent.service.TickControl;
import dev.loopline.schemas.control.ControlCodec;
import dev.loopline.schemas.control.InvalidControlRecordException;
import dev.loopline.schemas.events.DeadLetter;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads the compacted control topic whole, on its own thread, into {@link TickControl}: a broadcast, so no consumer
 * group (every replica reads every partition from the beginning, nothing is committed) — see ADR 0006. Once the
 * positions reach the end offsets taken at start-up the board counts as caught up. An invalid record is
 * dead-lettered (asynchronously: the control thread never waits for it) and skipped; nothing here stops the thread
 * but shutdown.
 */
@ApplicationScoped
public class ControlConsumer {

    private static final Logger LOG = Logger.getLogger(ControlConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(1);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @Inject
    AgentConfig config;

    @Inject
    TickControl control;

    @Inject
    EventProducer producer;

    Clock clock = Clock.systemUTC();

    private final Object retryLock = new Object();
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private volatile boolean running;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    void start(@Observes StartupEvent started) {
        running = true;
        thread = new Thread(this::run, "control-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent stopping) {
        running = false;
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        synchronized (retryLock) {
            retryLock.notifyAll();
        }
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
                LOG.warnf("reading control topic %s failed (retrying): %s", config.controlTopic(), e.toString());
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
        Map<TopicPartition, Long> end = control.caughtUp() ? Map.of() : c.endOffsets(partitions);
        while (running) {
            for (ConsumerRecord<String, String> record : c.poll(POLL)) {
                handle(record);
                positions.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
            }
            if (!control.caughtUp() && reached(c, end)) {
                control.markCaughtUp();
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

    void handle(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            if (record.key() != null) {
                control.remove(record.key());
            }
            return;
        }
        try {
            control.apply(ControlCodec.decode(record.key(), record.value()));
        } catch (InvalidControlRecordException e) {
            LOG.warnf(
                    "dead letter from %s[%d]@%d: %s",
                    record.topic(), record.partition(), record.offset(), e.getMessage());
            producer.publishLater(new DeadLetter(
                    InboundHandler.SERVICE,
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    record.key(),
                    e.getMessage(),
                    record.value(),
                    clock.instant()));
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, String> c) {
        List<PartitionInfo> infos = c.partitionsFor(config.controlTopic());
        if (infos == null || infos.isEmpty()) {
            LOG.warnf(
                    "control topic %s does not exist yet: not ready, ticks wait (it must be created compacted)",
                    config.controlTopic());
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
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "agent-service-control-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }
}
