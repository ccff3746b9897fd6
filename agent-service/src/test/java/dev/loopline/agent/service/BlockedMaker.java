package dev.loopline.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A maker that waits (up to a minute) inside a tick's interruptible section on a thread of its own, for tests of what
 * stops it: whether it was interrupted, and whether that interrupt leaked past the section into the clean-up.
 */
public final class BlockedMaker {

    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch interrupted = new CountDownLatch(1);
    private volatile boolean leaked;
    private final Thread thread;

    private BlockedMaker(RunningTick tick) {
        thread = new Thread(() -> {
            tick.interruptibly(() -> {
                started.countDown();
                try {
                    new CountDownLatch(1).await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
                return null;
            });
            leaked = Thread.currentThread().isInterrupted();
        });
    }

    /** Starts the maker and returns once it waits inside the interruptible section. */
    public static BlockedMaker startIn(RunningTick tick) throws InterruptedException {
        BlockedMaker maker = new BlockedMaker(tick);
        maker.thread.start();
        assertThat(maker.started.await(30, TimeUnit.SECONDS))
                .as("the maker entered its section")
                .isTrue();
        return maker;
    }

    /** Waits for the maker's thread to end; true when its wait was interrupted (not timed out). */
    public boolean interruptedWithin(long seconds) throws InterruptedException {
        boolean was = interrupted.await(seconds, TimeUnit.SECONDS);
        thread.join(seconds * 1000);
        assertThat(thread.isAlive()).as("the maker's thread ended").isFalse();
        return was;
    }

    /** Whether the interrupt meant for the maker was still set after its section ended. */
    public boolean interruptLeaked() {
        return leaked;
    }
}
