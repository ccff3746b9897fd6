package dev.loopline.agent.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Scale-in: nothing new is taken, what runs may finish, what cannot is stopped, what ignores the stop is handed back. */
class ConsumerDrainTest {

    private final ConsumerDrain drain = new ConsumerDrain();

    @Test
    void aRunningHandlerFinishesWhileNewRecordsAreLeftUnacknowledged() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<CompletionStage<Void>> first = CompletableFuture.supplyAsync(() -> drain.handle(() -> {
            inHandler.countDown();
            await(release);
            return CompletableFuture.completedFuture(null);
        }));
        assertThat(inHandler.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<ConsumerDrain.Result> drained = CompletableFuture.supplyAsync(
                () -> drain.drain(Duration.ofSeconds(10), () -> {}, Duration.ofSeconds(1)));
        waitUntil(drain::draining);

        AtomicBoolean handledLate = new AtomicBoolean();
        CompletionStage<Void> late = drain.handle(() -> {
            handledLate.set(true);
            return CompletableFuture.completedFuture(null);
        });
        assertThat(drained).isNotDone();
        release.countDown();

        ConsumerDrain.Result result = drained.get(10, TimeUnit.SECONDS);
        assertThat(result.finished()).isTrue();
        assertThat(result.stopped()).isFalse();
        assertThat(result.left()).isZero();
        assertThat(first.get(10, TimeUnit.SECONDS).toCompletableFuture()).isCompleted();
        assertThat(handledLate).isFalse();
        assertThat(late.toCompletableFuture())
                .as("neither acked nor failed: redelivered elsewhere")
                .isNotDone();
    }

    @Test
    void aHandlerStillRunningAtTheTimeoutIsStoppedAndEndsItsTick() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch inHandler = new CountDownLatch(1);
        CompletableFuture.runAsync(() -> drain.handle(() -> {
            inHandler.countDown();
            await(stop);
            return CompletableFuture.completedFuture(null);
        }));
        assertThat(inHandler.await(10, TimeUnit.SECONDS)).isTrue();

        ConsumerDrain.Result result = drain.drain(Duration.ofMillis(200), stop::countDown, Duration.ofSeconds(10));

        assertThat(result.stopped()).isTrue();
        assertThat(result.finished()).isTrue();
        assertThat(result.left()).isZero();
        assertThat(result.took()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void aHandlerThatIgnoresTheStopIsLeftRunningAndCounted() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch inHandler = new CountDownLatch(1);
        CompletableFuture.runAsync(() -> drain.handle(() -> {
            inHandler.countDown();
            await(never);
            return CompletableFuture.completedFuture(null);
        }));
        assertThat(inHandler.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicBoolean stopAsked = new AtomicBoolean();

        ConsumerDrain.Result result =
                drain.drain(Duration.ofMillis(100), () -> stopAsked.set(true), Duration.ofMillis(100));

        assertThat(stopAsked).isTrue();
        assertThat(result.finished()).isFalse();
        assertThat(result.left()).isEqualTo(1);
        never.countDown();
    }

    @Test
    void aHandlerThatThrowsIsNoLongerCountedAsRunning() {
        try {
            drain.handle(() -> {
                throw new IllegalStateException("boom");
            });
        } catch (IllegalStateException expected) {
            // the consumer's failure strategy sees it
        }

        assertThat(drain.running()).isZero();
        assertThat(drain.drain(Duration.ofMillis(10), () -> {}, Duration.ZERO).finished())
                .isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
