package dev.loopline.support.control;

import dev.loopline.core.control.Admission;
import dev.loopline.core.control.ControlBoard;
import dev.loopline.schemas.control.ControlRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * What the control topic says, as one service replica knows it: the {@link ControlBoard} a {@link ControlTopicReader}
 * fills, and whether the reader has read the topic to its end yet. Until then kill switches and budget halts are
 * unknown, so {@link #admission} waits (bounded) and then answers nothing: the caller fails closed.
 *
 * <p>{@code onChange} runs after every change the reader applies (the agent halts its running ticks there).
 */
public final class ControlState {

    private static final Logger LOG = Logger.getLogger(ControlState.class);

    private final ControlBoard board = new ControlBoard();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Clock clock;
    private final Runnable onChange;

    public ControlState(Clock clock, Runnable onChange) {
        this.clock = clock;
        this.onChange = onChange;
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

    public int records() {
        return board.records().size();
    }

    /**
     * The loop's admission once the topic has been read to its end, waiting at most {@code timeout} for that; empty
     * when it has not (see {@link #unknownWithin}).
     */
    public Optional<Admission> admission(String loopId, String team, Duration timeout) throws InterruptedException {
        if (!caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return Optional.empty();
        }
        return Optional.of(board.admission(loopId, team, clock.instant()));
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
