package dev.loopline.scheduler.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * The timers: read the specs at start and periodically, renew (or try to take) leadership every renew
 * interval, and, on the leader only, look for due loops every tick interval. On shutdown the leader resigns so
 * another replica takes over at its next renewal instead of after the ttl.
 */
@ApplicationScoped
public class SchedulerJobs {

    private static final Logger LOG = Logger.getLogger(SchedulerJobs.class);

    private final SchedulerService scheduler;
    private final LeaderElection leadership;

    public SchedulerJobs(SchedulerService scheduler, LeaderElection leadership) {
        this.scheduler = scheduler;
        this.leadership = leadership;
    }

    void onStart(@Observes StartupEvent event) {
        scheduler.reload();
        leadership.renew();
    }

    void onStop(@Observes ShutdownEvent event) {
        leadership.resign();
    }

    @Scheduled(
            every = "{loopline.scheduler.reload-interval}",
            delayed = "{loopline.scheduler.reload-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reload() {
        try {
            scheduler.reload();
        } catch (RuntimeException e) {
            LOG.warnf("reload failed, will retry: %s", e.getMessage());
        }
    }

    @Scheduled(
            every = "{loopline.scheduler.leader.renew-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void renewLeadership() {
        leadership.renew();
    }

    @Scheduled(every = "{loopline.scheduler.tick-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void runDue() {
        if (!leadership.isLeader()) {
            return;
        }
        try {
            scheduler.runDue();
        } catch (RuntimeException e) {
            LOG.warnf("due check failed, will retry: %s", e.getMessage());
        }
    }
}
