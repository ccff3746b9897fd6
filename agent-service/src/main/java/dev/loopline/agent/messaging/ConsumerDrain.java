package dev.loopline.agent.messaging;

import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Scale-in without lost or doubled ticks: once {@link #drain} starts, no further record is handled (its offset is
 * never committed, so the record goes to the worker that takes the partition over), the handlers already running may
 * finish within the drain timeout, and the ones that cannot are told to stop ({@code onTimeout}) and given a short
 * while to end their tick themselves. Plain Java so that it is tested without Quarkus; {@link AgentShutdown} ties it
 * to the application's shutdown.
 */
@Singleton
public final class ConsumerDrain {

    private static final Logger LOG = Logger.getLogger(ConsumerDrain.class);

    private final Object lock = new Object();
    private boolean draining;
    private int running;

    /** What one drain did, for the log and the tests. */
    public record Result(boolean finished, boolean stopped, int left, Duration took) {}

    /**
     * Runs {@code handler} unless a drain has begun. A record refused while draining gets a stage that never
     * completes: it is neither acknowledged nor failed, so its offset is not committed and the record is delivered
     * again to whichever worker holds its partition next.
     */
    public CompletionStage<Void> handle(Supplier<CompletionStage<Void>> handler) {
        synchronized (lock) {
            if (draining) {
                return new CompletableFuture<>();
            }
            running++;
        }
        CompletionStage<Void> stage;
        try {
            stage = handler.get();
        } catch (RuntimeException | Error e) {
            finished();
            throw e;
        }
        return stage.whenComplete((ok, failure) -> finished());
    }

    public boolean draining() {
        synchronized (lock) {
            return draining;
        }
    }

    /** Handlers running now. */
    public int running() {
        synchronized (lock) {
            return running;
        }
    }

    /**
     * Stops taking records and waits for the running handlers: up to {@code timeout}, then runs {@code onTimeout}
     * (which stops the ticks still running) and waits up to {@code afterStop} more.
     */
    public Result drain(Duration timeout, Runnable onTimeout, Duration afterStop) {
        long start = System.nanoTime();
        int atStart;
        synchronized (lock) {
            draining = true;
            atStart = running;
        }
        if (atStart > 0) {
            LOG.infof("draining: no new records; waiting up to %s for %d running handler(s)", timeout, atStart);
        }
        boolean finished = awaitIdle(timeout);
        boolean stopped = false;
        if (!finished) {
            LOG.warnf(
                    "drain timeout (%s) reached with %d handler(s) running: stopping their ticks", timeout, running());
            onTimeout.run();
            stopped = true;
            finished = awaitIdle(afterStop);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        int left = running();
        if (left > 0) {
            // their records stay unacknowledged: another worker handles them again after the rebalance
            LOG.warnf(
                    "drained after %d ms with %d handler(s) still running; their records are handed back",
                    took.toMillis(), left);
        } else if (atStart > 0) {
            LOG.infof("drained in %d ms", took.toMillis());
        }
        return new Result(finished, stopped, left, took);
    }

    private boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (running > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private void finished() {
        synchronized (lock) {
            running--;
            lock.notifyAll();
        }
    }
}
