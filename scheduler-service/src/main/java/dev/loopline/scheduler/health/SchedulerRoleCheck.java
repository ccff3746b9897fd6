package dev.loopline.scheduler.health;

import dev.loopline.scheduler.service.LeaderElection;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * This replica's role in {@code /q/health}: leader (runs the due-check) or follower (serves the API and manual
 * triggers). Up either way: a follower is as ready to serve as the leader.
 */
@Readiness
@ApplicationScoped
public class SchedulerRoleCheck implements HealthCheck {

    private final LeaderElection leadership;

    public SchedulerRoleCheck(LeaderElection leadership) {
        this.leadership = leadership;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("scheduler-role")
                .up()
                .withData("replicaId", leadership.replicaId())
                .withData("role", leadership.isLeader() ? "leader" : "follower");
        leadership.leaderSince().ifPresent(since -> builder.withData("leaderSince", since.toString()));
        return builder.build();
    }
}
