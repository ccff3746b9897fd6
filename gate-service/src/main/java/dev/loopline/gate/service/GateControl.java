package dev.loopline.gate.service;

import dev.loopline.core.control.Admission;
import dev.loopline.core.control.ControlBoard;
import dev.loopline.gate.config.GateConfig;
import dev.loopline.schemas.control.ControlRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * What the control topic says, for the gate: the {@link ControlBoard} filled by the control reader and whether it
 * has read the topic to its end yet. Fails closed: before that, an admission waits (bounded) and then halts.
 */
@ApplicationScoped
public class GateControl {

    private static final Logger LOG = Logger.getLogger(GateControl.class);

    @Inject
    GateConfig config;

    Clock clock = Clock.systemUTC();

    private final ControlBoard board = new ControlBoard();
    private final CountDownLatch caughtUp = new CountDownLatch(1);

    public void apply(ControlRecord record) {
        board.apply(record);
    }

    public void remove(String key) {
        board.remove(key);
    }

    public void markCaughtUp() {
        if (caughtUp.getCount() > 0) {
            caughtUp.countDown();
            LOG.infof(
                    "control topic read to its end: %d record(s) in force",
                    board.records().size());
        }
    }

    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    public int records() {
        return board.records().size();
    }

    /** The loop's admission; a halt naming why when the control topic could not be read in time (fail closed). */
    public Admission admission(String loopId, String team) {
        try {
            if (!caughtUp.await(config.controlCatchUpTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                Duration timeout = config.controlCatchUpTimeout();
                return new Admission.Halt(
                        "the control topic was not read to its end within "
                                + (timeout.toMillis() % 1000 == 0
                                        ? timeout.toSeconds() + "s"
                                        : timeout.toMillis() + "ms")
                                + ", so kill switches and budget halts are unknown",
                        null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Admission.Halt("interrupted while waiting for the control topic", null);
        }
        return board.admission(loopId, team, clock.instant());
    }
}
