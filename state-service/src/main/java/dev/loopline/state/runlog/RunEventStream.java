package dev.loopline.state.runlog;

import dev.loopline.state.common.StateConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Feeds newly recorded run events to live subscribers in {@code seq} order, from the database, so it sees the
 * events every replica recorded.
 *
 * <p>{@code seq} is drawn at insert, not at commit, so a lower number can become visible after a higher one. The
 * stream therefore only hands out events up to a <em>watermark</em>: the highest number below which every number is
 * either visible or has been missing for longer than {@code gap-grace} (a rolled-back insert, or the rare
 * concurrent duplicate, never fills its number). Recording transactions are short, so a gap that old is void.
 * Every subscriber has its own cursor and reads {@code cursor < seq <= watermark} itself; a reconnect with {@code
 * Last-Event-ID} is just a subscriber whose cursor starts further back.
 */
@ApplicationScoped
public class RunEventStream {

    private static final Logger LOG = Logger.getLogger(RunEventStream.class);

    @Inject
    RunEventRepository runEvents;

    @Inject
    TickRepository ticks;

    @Inject
    StateConfig config;

    @Inject
    Clock clock;

    /** A live subscriber: where it is, and how to hand it an event (false = it is gone). */
    public interface Subscriber {
        boolean send(StreamEvent event);
    }

    /** One stream event: its sequence number, the run event and its tick's current state. */
    public record StreamEvent(long seq, RunEventEntity event, TickEntity tick) {}

    private record Subscription(Subscriber subscriber, long[] cursor) {}

    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "run-event-stream");
        thread.setDaemon(true);
        return thread;
    });

    private volatile long watermark;
    private long gapAt = -1;
    private Instant gapSince;

    void start(@Observes StartupEvent started) {
        watermark = QuarkusTransaction.requiringNew().call(() -> runEvents.maxSequence());
        long every = config.stream().pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::pollSafely, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        poller.shutdownNow();
    }

    /** The highest sequence number handed out so far; a subscriber without Last-Event-ID starts here. */
    public long watermark() {
        return watermark;
    }

    /** Starts feeding {@code subscriber} every event after {@code after}, from the next poll on. */
    public void subscribe(Subscriber subscriber, long after) {
        subscriptions.add(new Subscription(subscriber, new long[] {after}));
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.warnf("Run event stream poll failed (retrying): %s", e.toString());
        }
    }

    void poll() {
        advanceWatermark();
        long upTo = watermark;
        for (Subscription s : subscriptions) {
            if (!feed(s, upTo)) {
                subscriptions.remove(s);
            }
        }
    }

    private void advanceWatermark() {
        int batch = config.stream().batchSize();
        List<Long> visible;
        do {
            long from = watermark;
            visible = QuarkusTransaction.requiringNew().call(() -> runEvents.sequenceNumbersAfter(from, batch));
            long w = watermark;
            for (long seq : visible) {
                if (seq != w + 1 && !gapExpired(w + 1)) {
                    break;
                }
                w = seq;
                gapAt = -1;
            }
            if (w == watermark) {
                return;
            }
            watermark = w;
        } while (visible.size() == batch);
    }

    /** Whether the missing number {@code missing} has been missing long enough to be skipped. */
    private boolean gapExpired(long missing) {
        Instant now = clock.instant();
        if (gapAt != missing) {
            gapAt = missing;
            gapSince = now;
            return false;
        }
        return !now.isBefore(gapSince.plus(config.stream().gapGrace()));
    }

    /** Sends the subscriber everything up to {@code upTo}; false when it has gone away. */
    private boolean feed(Subscription s, long upTo) {
        int batch = config.stream().batchSize();
        while (s.cursor()[0] < upTo) {
            long after = s.cursor()[0];
            List<StreamEvent> events = QuarkusTransaction.requiringNew().call(() -> read(after, upTo, batch));
            if (events.isEmpty()) {
                // numbers skipped as void
                s.cursor()[0] = upTo;
                return true;
            }
            for (StreamEvent event : events) {
                if (!s.subscriber().send(event)) {
                    return false;
                }
                s.cursor()[0] = event.seq();
            }
        }
        return true;
    }

    /** Events after {@code after} up to {@code upTo}, each with its tick as it is now. */
    public List<StreamEvent> read(long after, long upTo, int limit) {
        List<RunEventEntity> events = runEvents.sequenceRange(after, upTo, limit);
        if (events.isEmpty()) {
            return List.of();
        }
        Map<String, TickEntity> tickById =
                ticks
                        .list(
                                "tickId in ?1",
                                events.stream().map(e -> e.tickId).distinct().toList())
                        .stream()
                        .collect(Collectors.toMap(t -> t.tickId, Function.identity()));
        return events.stream()
                .map(e -> new StreamEvent(e.seq, e, tickById.get(e.tickId)))
                .toList();
    }
}
