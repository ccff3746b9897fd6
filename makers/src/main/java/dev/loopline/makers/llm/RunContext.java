package dev.loopline.makers.llm;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The limits of one maker run that every step checks: the run's deadline and its tick's halt (a halt also interrupts
 * the thread, which any blocking step notices). Steps bound their own timeouts by what is left of the run.
 */
final class RunContext {

    private final Duration runTimeout;
    private final long deadlineNanos;
    private final BooleanSupplier halted;

    RunContext(Duration runTimeout, BooleanSupplier halted) {
        this.runTimeout = runTimeout;
        this.deadlineNanos = System.nanoTime() + runTimeout.toNanos();
        this.halted = halted;
    }

    Duration runTimeout() {
        return runTimeout;
    }

    /** What is left of the run; zero or negative once it is over. */
    Duration remaining() {
        return Duration.ofNanos(deadlineNanos - System.nanoTime());
    }

    /** {@code limit}, or less when the run ends sooner. */
    Duration bound(Duration limit) {
        Duration left = remaining();
        return left.compareTo(limit) < 0 ? left : limit;
    }

    boolean halted() {
        return halted.getAsBoolean() || Thread.currentThread().isInterrupted();
    }

    /** @throws RunStopped when the tick was halted or the run is out of time */
    void checkRunning() {
        if (halted()) {
            throw new RunStopped(RunStopped.Why.HALTED);
        }
        if (remaining().isNegative() || remaining().isZero()) {
            throw new RunStopped(RunStopped.Why.OUT_OF_TIME);
        }
    }
}
