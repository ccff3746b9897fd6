package dev.loopline.state.runlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.loopline.schemas.json.Json;
import dev.loopline.state.common.StateConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Feeds newly recorded run events to live subscribers in {@code seq} order, from the database, so it sees the
 * events every replica recorded.
 *
 * <p>{@code seq} is drawn at insert, not at commit, so a lower number can become visible after a higher one. The
 * stream therefore only hands out events up to a <em>watermark</em>: the highest number below which every number is
 * either visible or has been missing for longer than {@code gap-grace} (a rolled-back insert, or the rare
 * concurrent duplicate, never fills its number). Recording transactions are short, so a gap that old is void.
 * Every subscriber has its own cursor and is handed {@code cursor < seq <= watermark}; subscribers at the same
 * cursor (all of them, once they are live) share one read and one rendering of each batch. A reconnect with {@code
 * Last-Event-ID} is just a subscriber whose cursor starts further back.
 */
@ApplicationScoped
public class RunEventStream {

    private static final Logger LOG = Logger.getLogger(RunEventStream.class);

    @Inject
    RunEventRepository runEvents;

    @Inject
    StateConfig config;

    @Inject
    Clock clock;

    /** A live subscriber: how to hand it a batch of events, in order (false = it is gone). */
    public interface Subscriber {
        boolean send(List<StreamEvent> events);
    }

    /** One stream event: its sequence number, the run event's type, and {@code data}: {@link StreamData} as JSON. */
    public record StreamEvent(long seq, String type, String data) {}

    /** A subscriber and its cursor: the last sequence number it was handed. Only the poller moves the cursor. */
    private static final class Subscription {
        final Subscriber subscriber;
        long cursor;

        Subscription(Subscriber subscriber, long cursor) {
            this.subscriber = subscriber;
            this.cursor = cursor;
        }
    }

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
        subscriptions.add(new Subscription(subscriber, after));
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
        // subscribers at the same cursor (typically all of them, at the watermark) share each read
        Map<Long, List<Subscription>> byCursor = new LinkedHashMap<>();
        for (Subscription s : subscriptions) {
            if (s.cursor < upTo) {
                byCursor.computeIfAbsent(s.cursor, c -> new ArrayList<>()).add(s);
            }
        }
        byCursor.forEach((after, group) -> feed(group, after, upTo));
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

    /**
     * Sends every subscriber of {@code group}, all at cursor {@code after}, everything up to {@code upTo}; drops those
     * that have gone away.
     */
    private void feed(List<Subscription> group, long after, long upTo) {
        int batch = config.stream().batchSize();
        List<Subscription> live = new ArrayList<>(group);
        long cursor = after;
        while (cursor < upTo && !live.isEmpty()) {
            long from = cursor;
            List<StreamEvent> events = QuarkusTransaction.requiringNew().call(() -> read(from, upTo, batch));
            // none: the numbers up to upTo were skipped as void
            cursor = events.isEmpty() ? upTo : events.get(events.size() - 1).seq();
            for (Iterator<Subscription> it = live.iterator(); it.hasNext(); ) {
                Subscription s = it.next();
                if (events.isEmpty() || handedOver(s, events)) {
                    s.cursor = cursor;
                } else {
                    it.remove();
                    subscriptions.remove(s);
                }
            }
        }
    }

    /** Whether {@code s} took the batch; one that fails is dropped like one that left, so it cannot stall the rest. */
    private static boolean handedOver(Subscription s, List<StreamEvent> events) {
        try {
            return s.subscriber.send(events);
        } catch (RuntimeException e) {
            LOG.warnf("Dropping a live stream subscriber that failed to take events: %s", e.toString());
            return false;
        }
    }

    /** Events after {@code after} up to {@code upTo}, each with its tick as it is now, rendered once for everyone. */
    public List<StreamEvent> read(long after, long upTo, int limit) {
        List<StreamData> rows = runEvents.streamRange(after, upTo, limit);
        List<StreamEvent> events = new ArrayList<>(rows.size());
        for (StreamData row : rows) {
            try {
                events.add(new StreamEvent(
                        row.event().seq(), row.event().type(), Json.mapper().writeValueAsString(row)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(
                        "cannot render run event " + row.event().id(), e);
            }
        }
        return events;
    }
}
