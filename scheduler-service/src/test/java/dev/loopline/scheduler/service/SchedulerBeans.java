package dev.loopline.scheduler.service;

import dev.loopline.core.spec.LoopSpecReader;
import java.time.Clock;
import java.util.random.RandomGenerator;

/**
 * The scheduler's beans wired by hand, as CDI wires them in the service, for tests without Quarkus: one replica's
 * registry, due-check, triggers, operator actions, completions and status view over one shared {@link
 * SchedulerState}.
 */
public record SchedulerBeans(
        LoopRegistry registry,
        DueCheckService dueCheck,
        TriggerService triggers,
        OperatorService operator,
        CompletionService completions,
        LoopStatusService status)
        implements AutoCloseable {

    public static SchedulerBeans wire(
            LoopSpecReader reader,
            SchedulerSettings settings,
            Clock clock,
            RandomGenerator random,
            TickPublisher publisher,
            SchedulerStore store,
            Admission admission,
            String replicaId) {
        SchedulerState state = new SchedulerState(clock, random);
        TickStarter starter = new TickStarter(settings, store, state, publisher, admission, replicaId);
        LoopStatusService status = new LoopStatusService(settings, store, state);
        return new SchedulerBeans(
                new LoopRegistry(reader, settings, store, state),
                new DueCheckService(settings, store, state, starter),
                new TriggerService(settings, store, state, starter),
                new OperatorService(settings, store, state, status),
                new CompletionService(settings, store, state),
                status);
    }

    /** Stops the due-check's threads, as the container does on shutdown. */
    @Override
    public void close() {
        dueCheck.shutdown();
    }
}
