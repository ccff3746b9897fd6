package dev.loopline.support.control;

import dev.loopline.core.control.Admission;
import dev.loopline.core.control.ControlBoard;
import dev.loopline.schemas.control.ControlRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * What the control topic says, as one service replica knows it: the {@link ControlBoard} a {@link ControlTopicReader}
 * fills, and whether the reader has read the topic to its end yet. Until then kill switches and budget halts are
 * unknown, so {@link #admission} waits (bounded) and then answers nothing: the caller fails closed. The same holds
 * once the reader has not been in sync with the topic's end for longer than {@link #staleAfter}: a reader that died,
 * or lost the broker, after catching up must not leave the service admitting work on a stale board.
 *
 * <p>{@code onChange} runs after every change the reader applies (the agent halts its running ticks there).
 */
public final class ControlState {

    private static final Logger LOG = Logger.getLogger(ControlState.class);

    /** How long the board may go without the reader being in sync before admissions refuse (as the scheduler's). */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(15);

    private final ControlBoard board = new ControlBoard();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Clock clock;
    private final Runnable onChange;
    private final Duration staleAfter;
    /** When the reader last had every partition read to its end offset; null before it first had. */
    private volatile Instant inSyncAt;

    public ControlState(Clock clock, Runnable onChange, Duration staleAfter) {
        this.clock = clock;
        this.onChange = onChange;
        this.staleAfter = staleAfter;
    }

    public ControlState(Clock clock, Runnable onChange) {
        this(clock, onChange, DEFAULT_STALE_AFTER);
    }

    public ControlState(Clock clock) {
        this(clock, () -> {});
    }

    public void apply(ControlRecord record) {
        board.apply(record);
        onChange.run();
    }

    /** A tombstone of {@code key}: the key holds nothing any more. */
    public void remove(String key) {
        board.remove(key);
        onChange.run();
    }

    /** The control topic has been read up to its end offsets as of start-up. */
    public void markCaughtUp() {
        inSyncAt = clock.instant();
        if (caughtUp.getCount() > 0) {
            caughtUp.countDown();
            LOG.infof(
                    "control topic read to its end: %d record(s) in force",
                    board.records().size());
        }
        onChange.run();
    }

    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    /** The reader has just seen every partition read up to its current end offset. */
    public void markInSync() {
        inSyncAt = clock.instant();
    }

    /** Caught up, and in sync with the topic's end within {@link #staleAfter}: the board can be trusted now. */
    public boolean fresh() {
        Instant at = inSyncAt;
        return caughtUp() && at != null && !clock.instant().isAfter(at.plus(staleAfter));
    }

    /** How long ago the reader was last in sync with the topic's end; null when it never was. */
    public Duration sinceInSync() {
        Instant at = inSyncAt;
        return at == null ? null : Duration.between(at, clock.instant());
    }

    public int records() {
        return board.records().size();
    }

    /**
     * The loop's admission once the topic has been read to its end, waiting at most {@code timeout} for that; empty
     * when it has not, or when the board is stale (see {@link #whyUnknown}).
     */
    public Optional<Admission> admission(String loopId, String team, Duration timeout) throws InterruptedException {
        if (!caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || !fresh()) {
            return Optional.empty();
        }
        return Optional.of(board.admission(loopId, team, clock.instant()));
    }

    /** Why {@link #admission} answered nothing after waiting {@code timeout}: never caught up, or stale since. */
    public String whyUnknown(Duration timeout) {
        if (!caughtUp()) {
            return unknownWithin(timeout);
        }
        Duration since = sinceInSync();
        return "the control topic reader has not been in sync with the topic for "
                + (since == null ? "ever" : since.toSeconds() + "s") + " (bound " + staleAfter.toSeconds()
                + "s), so kill switches and budget halts may be stale";
    }

    /** The loop's admission now, without waiting; only meaningful once {@link #caughtUp()}. */
    public Admission admissionNow(String loopId, String team) {
        return board.admission(loopId, team, clock.instant());
    }

    /** Why nothing may run when the topic was not read to its end within {@code timeout}. */
    public static String unknownWithin(Duration timeout) {
        return "the control topic was not read to its end within "
                + (timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + "s" : timeout.toMillis() + "ms")
                + ", so kill switches and budget halts are unknown";
    }
}
