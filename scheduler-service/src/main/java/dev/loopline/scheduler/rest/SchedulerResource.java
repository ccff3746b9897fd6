package dev.loopline.scheduler.rest;

import dev.loopline.core.auth.Permission;
import dev.loopline.scheduler.client.StateAdmission;
import dev.loopline.scheduler.service.LeaderElection;
import dev.loopline.scheduler.service.LoopStatusService;
import dev.loopline.scheduler.service.SchedulerSettings;
import dev.loopline.scheduler.service.SchedulerStore;
import dev.loopline.scheduler.service.SpecSource;
import dev.loopline.support.rest.Allowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Optional;

/** This replica's role and the shared trigger capacity. */
@Path("/api/v1/scheduler")
@Allowed(Permission.READ)
@Produces(MediaType.APPLICATION_JSON)
public class SchedulerResource {

    /**
     * @param replicaId this replica
     * @param leader whether this replica runs the cadence/cron due-check
     * @param leaderSince since when it does (database clock); null for a follower
     * @param currentLeader the replica the database names leader (null before any led, or after a resign)
     * @param currentLeaderUntil when its leadership runs out unless renewed
     * @param ticksInFlight ticks in flight across all replicas
     * @param maxInFlight the cap above which due loops wait
     * @param specCommit the git commit the loop specs come from (null for a spec directory)
     * @param stateService whether state-service answers the kill-switch and budget check (no tick starts when
     *     not)
     */
    public record SchedulerInfo(
            String replicaId,
            boolean leader,
            Instant leaderSince,
            String currentLeader,
            Instant currentLeaderUntil,
            int ticksInFlight,
            int maxInFlight,
            String specCommit,
            StateAdmission.Status stateService) {}

    private final LeaderElection leadership;
    private final LoopStatusService status;
    private final SchedulerSettings settings;
    private final StateAdmission stateAdmission;
    private final SpecSource specs;

    public SchedulerResource(
            LeaderElection leadership,
            LoopStatusService status,
            SchedulerSettings settings,
            StateAdmission stateAdmission,
            SpecSource specs) {
        this.specs = specs;
        this.leadership = leadership;
        this.status = status;
        this.settings = settings;
        this.stateAdmission = stateAdmission;
    }

    @GET
    public SchedulerInfo info() {
        Optional<SchedulerStore.LeaderLease> current = leadership.currentLeader();
        return new SchedulerInfo(
                leadership.replicaId(),
                leadership.isLeader(),
                leadership.leaderSince().orElse(null),
                current.map(SchedulerStore.LeaderLease::holder).orElse(null),
                current.map(SchedulerStore.LeaderLease::expiresAt).orElse(null),
                status.ticksInFlight(),
                settings.maxInFlight(),
                specs.commit().orElse(null),
                stateAdmission.status());
    }
}
