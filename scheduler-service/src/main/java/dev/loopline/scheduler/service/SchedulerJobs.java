package dev.loopline.scheduler.service;

import dev.loopline.scheduler.config.SchedulerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The timers: read the specs at start and periodically, renew (or try to take) leadership every renew
 * interval, and, on the leader only, look for due loops every tick interval. On shutdown the leader resigns so
 * another replica takes over at its next renewal instead of after the ttl.
 */
@ApplicationScoped
public class SchedulerJobs {

    private static final Logger LOG = Logger.getLogger(SchedulerJobs.class);

    private final LoopRegistry loops;
    private final DueCheckService dueCheck;
    private final LeaderElection leadership;
    private final MeterRegistry registry;
    private final Duration tickInterval;
    private final SpecSource specs;
    private ScheduledExecutorService dueChecks;

    public SchedulerJobs(
            LoopRegistry loops,
            DueCheckService dueCheck,
            LeaderElection leadership,
            MeterRegistry registry,
            SchedulerConfig config,
            SpecSource specs) {
        this.specs = specs;
        this.loops = loops;
        this.dueCheck = dueCheck;
        this.leadership = leadership;
        this.registry = registry;
        this.tickInterval = config.tickInterval();
    }

    void onStart(@Observes StartupEvent event) {
        // 1 while this replica leads the due-check, else 0
        registry.gauge("loopline.scheduler.leader", leadership, l -> l.isLeader() ? 1 : 0);
        loops.reload();
        leadership.renew();
        startDueChecks();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (dueChecks != null) {
            dueChecks.shutdownNow();
        }
        leadership.resign();
    }

    @Scheduled(
            every = "{loopline.scheduler.reload-interval}",
            delayed = "{loopline.scheduler.reload-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reload() {
        try {
            specs.sync();
            loops.reload();
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

    /**
     * The due-check runs on a thread of its own every tick interval: Quarkus' scheduler looks at its triggers once a
     * second, which would start every run up to a second after its slot.
     */
    private void startDueChecks() {
        dueChecks = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "scheduler-due-check");
            t.setDaemon(true);
            return t;
        });
        long period = tickInterval.toMillis();
        dueChecks.scheduleWithFixedDelay(this::runDue, period, period, TimeUnit.MILLISECONDS);
    }

    void runDue() {
        if (!leadership.isLeader()) {
            return;
        }
        try {
            dueCheck.runDue();
        } catch (RuntimeException e) {
            LOG.warnf("due check failed, will retry: %s", e.getMessage());
        }
    }
}
