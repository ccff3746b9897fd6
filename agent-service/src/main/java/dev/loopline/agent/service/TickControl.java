package dev.loopline.agent.service;

import dev.loopline.agent.config.AgentConfig;
import dev.loopline.core.control.Admission;
import dev.loopline.support.control.ControlState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * What the control topic says, for this agent: service-support's {@link ControlState}, filled by the control consumer,
 * and the ticks running here, halted as soon as a record halts their loop. Fails closed: until the topic has been read
 * to its end, an admission waits (bounded) and then refuses.
 */
@ApplicationScoped
public class TickControl {

    private static final Logger LOG = Logger.getLogger(TickControl.class);

    @Inject
    AgentConfig config;

    private final ControlState state = new ControlState(Clock.systemUTC(), this::haltRunningTicks);
    private final Set<RunningTick> running = ConcurrentHashMap.newKeySet();

    /** The partition of the record the current thread is handling; ticks it starts belong to that partition. */
    private final ThreadLocal<RecordPartition> handling = new ThreadLocal<>();

    public ControlState state() {
        return state;
    }

    /**
     * Waits until the topic has been read to its end (at most {@code loopline.agent.control-catch-up-timeout}), then
     * answers.
     *
     * @throws ControlUnavailableException when it has not been read in time
     */
    public Admission admission(String loopId, String team) {
        Duration timeout = config.controlCatchUpTimeout();
        try {
            return state.admission(loopId, team, timeout)
                    .orElseThrow(() ->
                            new ControlUnavailableException(state.whyUnknown(timeout) + " and the tick does not run"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlUnavailableException("interrupted while waiting for the control topic");
        }
    }

    /** Registers a tick attempt that is starting; close the handle when it ends. */
    public RunningTick start(String loopId, String team, String tickId) {
        RunningTick[] self = new RunningTick[1];
        RunningTick tick = new RunningTick(loopId, team, tickId, handling.get(), () -> running.remove(self[0]));
        self[0] = tick;
        running.add(tick);
        // a record applied between the admission and the registration must not be missed
        if (state.caughtUp() && state.admissionNow(loopId, team) instanceof Admission.Halt halt) {
            tick.halt(halt);
        }
        return tick;
    }

    /** Runs {@code body} (the handling of one record) with the ticks it starts belonging to {@code partition}. */
    public <T> T handlingRecordOf(RecordPartition partition, Supplier<T> body) {
        handling.set(partition);
        try {
            return body.get();
        } finally {
            handling.remove();
        }
    }

    /**
     * Stops the tick attempts whose record's partition this worker no longer holds ({@code lost}): the worker that
     * holds it now reads the record again and runs the attempt, so this run's maker is stopped and its result is
     * not published. Returns their tick ids.
     */
    public List<String> handOver(Predicate<RecordPartition> lost) {
        List<String> handedOver = new ArrayList<>();
        for (RunningTick tick : running) {
            RecordPartition partition = tick.partition();
            if (partition != null && lost.test(partition) && !tick.handedOver()) {
                LOG.warnf(
                        "tick %s of %s: partition %s moved to another worker, which runs the attempt again;"
                                + " stopping this run, its result is not published",
                        tick.tickId(), tick.loopId(), partition);
                tick.handOver("partition " + partition + " moved to another worker during a rebalance");
                handedOver.add(tick.tickId());
            }
        }
        return handedOver;
    }

    /** Halts every tick attempt running here, whatever its loop (the agent is stopping); returns their tick ids. */
    public List<String> haltAll(Admission.Halt why) {
        List<String> halted = new ArrayList<>();
        for (RunningTick tick : running) {
            LOG.warnf("halting running tick %s of %s: %s", tick.tickId(), tick.loopId(), why.reason());
            tick.halt(why);
            halted.add(tick.tickId());
        }
        return halted;
    }

    private void haltRunningTicks() {
        if (!state.caughtUp() || running.isEmpty()) {
            return;
        }
        for (RunningTick tick : running) {
            if (state.admissionNow(tick.loopId(), tick.team()) instanceof Admission.Halt halt
                    && tick.haltReason().isEmpty()) {
                LOG.warnf("halting running tick %s of %s: %s", tick.tickId(), tick.loopId(), halt.reason());
                tick.halt(halt);
            }
        }
    }
}
