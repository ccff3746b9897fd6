package dev.loopline.gate.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Runs the approval sweep on {@code loopline.gate.approvals.sweep-interval} ({@code off} disables it). */
@ApplicationScoped
public class ApprovalSweeper {

    private static final Logger LOG = Logger.getLogger(ApprovalSweeper.class);

    private final ApprovalService approvals;

    public ApprovalSweeper(ApprovalService approvals) {
        this.approvals = approvals;
    }

    @Scheduled(
            every = "${loopline.gate.approvals.sweep-interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        try {
            approvals.sweep();
        } catch (RuntimeException e) {
            LOG.warnf("approval sweep failed (retried at the next interval): %s", e.getMessage());
        }
    }
}
