package dev.loopline.agent.service;

import dev.loopline.agent.config.AgentConfig;
import dev.loopline.core.control.Admission;
import dev.loopline.core.control.ControlBoard;
import dev.loopline.schemas.control.ControlRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * What the control topic says, for this agent: the {@link ControlBoard} filled by the control consumer, whether it
 * has read the topic to its end yet, and the ticks running here, halted as soon as a record halts their loop. Fails
 * closed: until the board has caught up, an admission waits (bounded) and then refuses.
 */
@ApplicationScoped
public class TickControl {

    private static final Logger LOG = Logger.getLogger(TickControl.class);

    @Inject
    AgentConfig config;

    Clock clock = Clock.systemUTC();

    private final ControlBoard board = new ControlBoard();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Set<RunningTick> running = ConcurrentHashMap.newKeySet();

    public void apply(ControlRecord record) {
        board.apply(record);
        haltRunningTicks();
    }

    /** A tombstone of {@code key}. */
    public void remove(String key) {
        board.remove(key);
        haltRunningTicks();
    }

    /** The control topic has been read up to its end offsets as of start-up. */
    public void markCaughtUp() {
        if (caughtUp.getCount() > 0) {
            caughtUp.countDown();
            LOG.infof(
                    "control topic read to its end: %d record(s) in force",
                    board.records().size());
        }
        haltRunningTicks();
    }

    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    public int records() {
        return board.records().size();
    }

    /**
     * Waits until the board has caught up (at most {@code loopline.agent.control-catch-up-timeout}), then answers.
     *
     * @throws ControlUnavailableException when it has not caught up in time
     */
    public Admission admission(String loopId, String team) {
        try {
            if (!caughtUp.await(config.controlCatchUpTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                Duration timeout = config.controlCatchUpTimeout();
                throw new ControlUnavailableException("the control topic was not read to its end within "
                        + (timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + "s" : timeout.toMillis() + "ms")
                        + ", so kill switches and budget halts are unknown and the tick does not run");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlUnavailableException("interrupted while waiting for the control topic");
        }
        return board.admission(loopId, team, clock.instant());
    }

    /** Registers a tick attempt that is starting; close the handle when it ends. */
    public RunningTick start(String loopId, String team, String tickId) {
        RunningTick[] self = new RunningTick[1];
        RunningTick tick = new RunningTick(loopId, team, tickId, () -> running.remove(self[0]));
        self[0] = tick;
        running.add(tick);
        // a record applied between the admission and the registration must not be missed
        if (caughtUp() && board.admission(loopId, team, clock.instant()) instanceof Admission.Halt halt) {
            tick.halt(halt.reason());
        }
        return tick;
    }

    private void haltRunningTicks() {
        if (!caughtUp() || running.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        for (RunningTick tick : running) {
            if (board.admission(tick.loopId(), tick.team(), now) instanceof Admission.Halt halt
                    && tick.haltReason().isEmpty()) {
                LOG.warnf("halting running tick %s of %s: %s", tick.tickId(), tick.loopId(), halt.reason());
                tick.halt(halt.reason());
            }
        }
    }
}
