package dev.loopline.gate.chat;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Where chat messages, outbound webhooks, pull-request calls and Slack-initiated decisions run: off the caller's
 * thread, so a slow or dead Slack, webhook receiver or Git host never blocks a decision, and a failure is logged and
 * counted ({@code loopline_gate_chat_deliveries_total{target,outcome}}), never thrown at the caller.
 */
@ApplicationScoped
public class OutboundExecutor {

    private static final Logger LOG = Logger.getLogger(OutboundExecutor.class);

    /** A unit of outbound work that may fail. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    private final MeterRegistry metrics;
    private final ScheduledExecutorService executor;

    public OutboundExecutor(MeterRegistry metrics) {
        this.metrics = metrics;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "loopline-outbound-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code work} now on the outbound threads; its failure is logged and counted under {@code target}. */
    public void submit(String target, String what, Work work) {
        later(target, what, Duration.ZERO, work);
    }

    /** Runs {@code work} after {@code delay}. */
    public void later(String target, String what, Duration delay, Work work) {
        executor.schedule(() -> run(target, what, work), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} after {@code delay}; the task counts and logs its own outcome. */
    public void schedule(Duration delay, Runnable task) {
        executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run(String target, String what, Work work) {
        try {
            work.run();
            count(target, "delivered");
        } catch (Exception e) {
            count(target, "failed");
            LOG.warnf("%s: %s failed: %s", target, what, e.getMessage());
        }
    }

    public void count(String target, String outcome) {
        metrics.counter("loopline_gate_chat_deliveries_total", "target", target, "outcome", outcome)
                .increment();
    }

    @PreDestroy
    void stop() {
        executor.shutdown();
    }
}
