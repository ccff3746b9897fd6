package dev.loopline.scheduler.client;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Fetches state-service's control snapshot at start and every {@code loopline.scheduler.state.poll-interval}. */
@ApplicationScoped
public class StatePolling {

    private final StateAdmission admission;

    public StatePolling(StateAdmission admission) {
        this.admission = admission;
    }

    void onStart(@Observes StartupEvent event) {
        admission.refresh();
    }

    @Scheduled(
            every = "{loopline.scheduler.state.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        admission.refresh();
    }
}
