package dev.loopline.scheduler.service;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** The timers: read the specs at start and periodically, and look for due loops every tick interval. */
@ApplicationScoped
public class SchedulerJobs {

    private final SchedulerService scheduler;

    public SchedulerJobs(SchedulerService scheduler) {
        this.scheduler = scheduler;
    }

    void onStart(@Observes StartupEvent event) {
        scheduler.reload();
    }

    @Scheduled(
            every = "{loopline.scheduler.reload-interval}",
            delayed = "{loopline.scheduler.reload-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reload() {
        scheduler.reload();
    }

    @Scheduled(every = "{loopline.scheduler.tick-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void runDue() {
        scheduler.runDue();
    }
}
