package dev.loopline.agent.messaging;

import dev.loopline.agent.config.AgentConfig;
import dev.loopline.agent.service.TickControl;
import dev.loopline.core.control.Admission;
import dev.loopline.schemas.events.TickCompleted;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * Drains the agent when it is asked to stop (SIGTERM from Kubernetes on scale-in or a rolling update, {@code loopline
 * down} locally): it stops taking records, lets the running ticks finish within {@code loopline.agent.drain-timeout},
 * and ends those that cannot {@code halted} (code {@code timeout}) — every tick ends exactly once, here or, for a record
 * not yet taken, on the worker that gets its partition. Only then does Quarkus go on to close the Kafka consumers,
 * which commit the offsets of every record acknowledged.
 *
 * <p>Why a {@link ShutdownEvent} observer and not {@code quarkus.shutdown.timeout}: that setting makes the HTTP server
 * answer 503 before shutdown events are fired, and the one HTTP route the agent serves is the loopback hook a running
 * claude-code maker calls for every tool use — refused, the hooks would block the tick being drained. Observed first
 * ({@link Priority} 1), before the control topic reader stops, so a kill switch still halts a tick being drained.
 */
@ApplicationScoped
public class AgentShutdown {

    /** After the drain timeout, how long halted ticks get to publish their completion. */
    static final Duration AFTER_HALT = Duration.ofSeconds(20);

    @Inject
    ConsumerDrain drain;

    @Inject
    TickControl control;

    @Inject
    AgentConfig config;

    void onStop(@Observes @Priority(1) ShutdownEvent stopping) {
        Duration timeout = config.drainTimeout();
        drain.drain(
                timeout,
                () -> control.haltAll(Admission.Halt.of(
                        TickCompleted.Halt.TIMEOUT,
                        "agent-service was stopped (scale-in, update or restart) and the attempt did not finish"
                                + " within its drain timeout of " + timeout.toSeconds() + " s")),
                AFTER_HALT);
    }
}
