package dev.loopline.state.runlog;

import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.state.common.StateConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Ends the ticks that make no progress: a tick none of whose events arrived for {@code loopline.state.deadline
 * .no-progress} (its event was lost, or a stage died without a word) is completed {@code halted} with code {@code
 * timeout}. The completion goes out on {@code loopline.completions} like the agent's, so the scheduler releases the
 * tick's lease and this service records it through the run log, as any other.
 *
 * <p>Every replica may sweep: the completion's id is derived from (tick, attempt), so a second sweep, a second
 * replica or an agent completion of the same attempt is the same event and counts once; a later completion of another
 * attempt is kept in the run log but does not change the tick's outcome (the first completion wins).
 */
@ApplicationScoped
public class TickDeadline {

    public static final String SOURCE = "state-service";

    private static final Logger LOG = Logger.getLogger(TickDeadline.class);

    @Inject
    TickRepository ticks;

    @Inject
    CompletionProducer completions;

    @Inject
    StateConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    Clock clock;

    @Scheduled(
            every = "{loopline.state.deadline.every}",
            delay = 30,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            endStalledTicks(clock.instant());
        } catch (RuntimeException e) {
            // the database or the broker is away: the next sweep tries again
            LOG.warnf("deadline sweep failed, retrying at the next one: %s", e);
        }
    }

    /**
     * Ends every tick that made no progress in the {@code no-progress} window before {@code now}.
     *
     * @return the ended ticks' ids
     */
    public List<String> endStalledTicks(Instant now) {
        Duration window = config.deadline().noProgress();
        List<TickEntity> stalled = QuarkusTransaction.requiringNew()
                .call(() -> ticks.stalled(now.minus(window), config.deadline().batchSize()));
        List<String> ended = new ArrayList<>();
        for (TickEntity tick : stalled) {
            completions.publish(completion(tick, window, now));
            registry.counter("loopline.state.ticks.timed_out").increment();
            LOG.warnf(
                    "tick %s of %s made no progress for %s (status %s, last change %s): ended halted (timeout)",
                    tick.tickId, tick.loopId, window, tick.status, tick.updatedAt);
            ended.add(tick.tickId);
        }
        return ended;
    }

    static Event completion(TickEntity tick, Duration window, Instant now) {
        String reason = "no progress for " + window.toMinutes() + " min (last stage seen: " + stage(tick)
                + "); ended by state-service";
        int attempt = Math.max(tick.attempts, 0);
        return Event.of(
                SOURCE,
                now,
                tick.loopId,
                tick.tickId,
                tick.team,
                attempt,
                TickCompleted.halted(TickCompleted.Halt.TIMEOUT, tick.tokens, attempt, reason));
    }

    private static String stage(TickEntity tick) {
        if (tick.decision != null) {
            return "decided " + tick.decision;
        }
        return TickProjection.TRIGGERED.equals(tick.status) ? "triggered" : "running, attempt " + tick.attempts;
    }
}
