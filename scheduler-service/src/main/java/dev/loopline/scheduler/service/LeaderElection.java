package dev.loopline.scheduler.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Leadership of the cadence/cron due-check among scheduler replicas: the {@code scheduler_leader} row, taken
 * or renewed by {@link #renew()} every renew interval for a ttl judged by the database clock. A replica that
 * stops renewing (it died, or cannot reach the database) is replaced by another within ttl + renew interval.
 *
 * <p>This replica counts itself leader only until ttl after the start of its last successful renewal, by its
 * own monotonic clock: that is never later than the database lets another replica take over, so two replicas
 * do not both believe they lead (and if they did, the slot claim in the database would still let only one of
 * them trigger a run).
 */
public final class LeaderElection {

    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    private final SchedulerStore store;
    private final String replicaId;
    private final Duration ttl;

    private volatile boolean leader;
    private volatile long validUntilNanos;
    private volatile Instant leaderSince;

    public LeaderElection(SchedulerStore store, String replicaId, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("loopline.scheduler.leader.ttl must be positive, got " + ttl);
        }
        this.store = store;
        this.replicaId = replicaId;
        this.ttl = ttl;
    }

    /** Takes or renews leadership if free, expired or ours; returns whether this replica leads now. */
    public boolean renew() {
        long started = System.nanoTime();
        try {
            Optional<SchedulerStore.LeaderLease> lease = store.claimLeadership(replicaId, ttl);
            if (lease.isPresent()) {
                validUntilNanos = started + ttl.toNanos();
                if (!leader || !lease.get().acquiredAt().equals(leaderSince)) {
                    LOG.infof(
                            "replica %s leads the due-check since %s",
                            replicaId, lease.get().acquiredAt());
                }
                leaderSince = lease.get().acquiredAt();
                leader = true;
            } else if (leader) {
                LOG.warnf("replica %s lost leadership of the due-check", replicaId);
                leader = false;
                leaderSince = null;
            }
        } catch (RuntimeException e) {
            // keep what we had until it runs out: a blip does not hand leadership over at once
            LOG.warnf("replica %s cannot renew leadership: %s", replicaId, e.getMessage());
        }
        return isLeader();
    }

    /** Whether this replica leads now (renewed within the ttl). */
    public boolean isLeader() {
        return leader && System.nanoTime() - validUntilNanos < 0;
    }

    /** Since when this replica leads, by the database clock; empty when it does not. */
    public Optional<Instant> leaderSince() {
        return isLeader() ? Optional.ofNullable(leaderSince) : Optional.empty();
    }

    public String replicaId() {
        return replicaId;
    }

    /** The replica the database names leader, if its lease has not expired by the time it was read. */
    public Optional<SchedulerStore.LeaderLease> currentLeader() {
        return store.leader();
    }

    /** Gives leadership up (on shutdown) so another replica takes over at its next renewal. */
    public void resign() {
        boolean was = leader;
        leader = false;
        leaderSince = null;
        try {
            store.resign(replicaId);
            if (was) {
                LOG.infof("replica %s resigned leadership of the due-check", replicaId);
            }
        } catch (RuntimeException e) {
            LOG.warnf("replica %s cannot resign leadership (it expires by itself): %s", replicaId, e.getMessage());
        }
    }
}
