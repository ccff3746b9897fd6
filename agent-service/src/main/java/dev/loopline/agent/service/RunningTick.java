package dev.loopline.agent.service;

import dev.loopline.core.control.Admission;
import dev.loopline.schemas.events.TickCompleted;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A tick attempt in progress, as far as the control board is concerned. A halt (kill switch, budget halt) marks it;
 * the code in {@link #interruptibly} — the maker — is interrupted at once, which kills a shell maker's process
 * tree. Only that section is interrupted, and the interrupt is cleared when it ends, so git clean-up after it (the
 * worktree removal) never sees a stray interrupt.
 */
public final class RunningTick implements AutoCloseable {

    private final String loopId;
    private final String team;
    private final String tickId;
    private final RecordPartition partition;
    private final Runnable onClose;
    private final Object lock = new Object();
    private Admission.Halt halt;
    private boolean handedOver;
    private Thread interruptible;

    RunningTick(String loopId, String team, String tickId, RecordPartition partition, Runnable onClose) {
        this.loopId = loopId;
        this.team = team;
        this.tickId = tickId;
        this.partition = partition;
        this.onClose = onClose;
    }

    /** The partition of the record that started this attempt; null when it did not come from Kafka (tests). */
    public RecordPartition partition() {
        return partition;
    }

    /**
     * The partition of the record that started this attempt went to another worker (a rebalance), which runs the
     * attempt again: this run is stopped like a halted one, and its result must not be published.
     */
    public void handOver(String reason) {
        synchronized (lock) {
            handedOver = true;
        }
        halt(Admission.Halt.of(TickCompleted.Halt.TIMEOUT, reason));
    }

    /** Whether {@link #handOver} was called: the tick's result belongs to the worker that holds its record now. */
    public boolean handedOver() {
        synchronized (lock) {
            return handedOver;
        }
    }

    public String loopId() {
        return loopId;
    }

    public String team() {
        return team;
    }

    public String tickId() {
        return tickId;
    }

    /** Marks the tick halted (the first halt stays) and interrupts its maker if one is running. */
    public void halt(Admission.Halt why) {
        synchronized (lock) {
            if (halt == null) {
                halt = why;
            }
            if (interruptible != null) {
                interruptible.interrupt();
            }
        }
    }

    /** What halted the tick, if anything has. */
    public Optional<Admission.Halt> halted() {
        synchronized (lock) {
            return Optional.ofNullable(halt);
        }
    }

    public Optional<String> haltReason() {
        return halted().map(Admission.Halt::reason);
    }

    /**
     * Runs {@code body} on this thread, interrupted if the tick is halted meanwhile.
     *
     * @throws HaltedException when the tick is already halted (the body does not run)
     */
    public <T> T interruptibly(Supplier<T> body) {
        synchronized (lock) {
            if (halt != null) {
                throw new HaltedException(halt);
            }
            interruptible = Thread.currentThread();
        }
        try {
            return body.get();
        } finally {
            synchronized (lock) {
                interruptible = null;
                // an interrupt meant for the maker must not reach the clean-up after it
                Thread.interrupted();
            }
        }
    }

    @Override
    public void close() {
        onClose.run();
    }

    /** The tick was halted before its interruptible section could start. */
    public static final class HaltedException extends RuntimeException {
        private final transient Admission.Halt halt;

        public HaltedException(Admission.Halt halt) {
            super(halt.reason());
            this.halt = halt;
        }

        public Admission.Halt halt() {
            return halt;
        }
    }
}
