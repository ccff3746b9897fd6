package dev.loopline.state.budget;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Marks expired holds on a schedule. Correctness does not depend on it: expired holds never count. */
@ApplicationScoped
public class BudgetSweeper {

    private static final Logger LOG = Logger.getLogger(BudgetSweeper.class);

    @Inject
    BudgetLedgerService budget;

    @Scheduled(
            every = "{loopline.budget.sweep-interval}",
            delayed = "{loopline.budget.sweep-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        int expired = budget.sweepExpired();
        if (expired > 0) {
            LOG.debugf("Marked %d expired budget holds", expired);
        }
    }
}
