package dev.loopline.scheduler.config;

import dev.loopline.core.io.Git;
import dev.loopline.core.spec.LoopSpecReader;
import dev.loopline.scheduler.client.StateAdmission;
import dev.loopline.scheduler.repository.PostgresSchedulerStore;
import dev.loopline.scheduler.service.Admission;
import dev.loopline.scheduler.service.GitSpecSource;
import dev.loopline.scheduler.service.LeaderElection;
import dev.loopline.scheduler.service.SchedulerSettings;
import dev.loopline.scheduler.service.SchedulerStore;
import dev.loopline.scheduler.service.SpecSource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * Wires the framework-free scheduler. Clock, random source and admission check are beans so tests (and the
 * deployment) can replace them.
 */
public class BeansConfig {

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    @DefaultBean
    RandomGenerator random() {
        return new SecureRandom();
    }

    /** Asks state-service (kill switches, budget alerts) before every tick; fails closed when it cannot. */
    @Produces
    @Singleton
    @Typed(StateAdmission.class)
    StateAdmission stateAdmission(SchedulerConfig config, AuthConfig auth, Clock clock) {
        SchedulerConfig.State state = config.state();
        URI url = state.url()
                .orElseThrow(() -> new IllegalArgumentException("loopline.scheduler.state.url is not set: the"
                        + " scheduler asks state-service whether a loop is killed or over budget before every tick"
                        + " and starts none without an answer; set LOOPLINE_SCHEDULER_STATE_URL, e.g."
                        + " http://state-service:8085"));
        if (state.maxAge().compareTo(state.pollInterval()) <= 0) {
            throw new IllegalArgumentException("loopline.scheduler.state.max-age (" + state.maxAge()
                    + ") must be longer than loopline.scheduler.state.poll-interval (" + state.pollInterval() + ")");
        }
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return new StateAdmission(
                http, url, state.token().filter(t -> !t.isBlank()).orElse(auth.token()), state.maxAge(), clock);
    }

    @Produces
    @Singleton
    Admission admission(StateAdmission stateAdmission) {
        return stateAdmission;
    }

    @Produces
    @Singleton
    SchedulerStore schedulerStore(AgroalDataSource dataSource) {
        return new PostgresSchedulerStore(dataSource);
    }

    @Produces
    @Singleton
    @ReplicaId
    String replicaId(SchedulerConfig config) {
        return config.replicaId().filter(id -> !id.isBlank()).orElseGet(BeansConfig::defaultReplicaId);
    }

    private static String defaultReplicaId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "scheduler";
        }
        byte[] suffix = new byte[3];
        new SecureRandom().nextBytes(suffix);
        return host + "-" + HexFormat.of().formatHex(suffix);
    }

    @Produces
    @Singleton
    SpecSource specSource(SchedulerConfig config, @ReplicaId String replicaId) {
        SchedulerConfig.SpecRepo repo = config.specRepo();
        if (repo.url().filter(u -> !u.isBlank()).isPresent()) {
            Path checkout = repo.checkout()
                    .orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), "loopline-spec-repo-" + replicaId));
            SpecSource source =
                    SpecSource.git(new GitSpecSource(new Git(), repo.url().get(), repo.ref(), checkout), repo.path());
            source.sync();
            return source;
        }
        return SpecSource.directory(config.specDir()
                .orElseThrow(() -> new IllegalArgumentException("no loop specs configured: set"
                        + " loopline.scheduler.spec-dir (env LOOPLINE_SCHEDULER_SPEC_DIR) to a directory, or"
                        + " loopline.scheduler.spec-repo.url (env LOOPLINE_SCHEDULER_SPEC_REPO_URL) to a git"
                        + " repository")));
    }

    @Produces
    @Singleton
    LeaderElection leaderElection(SchedulerConfig config, SchedulerStore store, @ReplicaId String replicaId) {
        if (config.leader().ttl().compareTo(config.leader().renewInterval()) <= 0) {
            throw new IllegalArgumentException(
                    "loopline.scheduler.leader.ttl (" + config.leader().ttl()
                            + ") must be longer than loopline.scheduler.leader.renew-interval ("
                            + config.leader().renewInterval() + ")");
        }
        return new LeaderElection(store, replicaId, config.leader().ttl());
    }

    @Produces
    @Singleton
    LoopSpecReader loopSpecReader() {
        return new LoopSpecReader();
    }

    @Produces
    @Singleton
    SchedulerSettings schedulerSettings(SchedulerConfig config, SpecSource specSource) {
        return new SchedulerSettings(
                specSource.directory(),
                config.tickTimeout(),
                config.firstRunJitter(),
                config.levelEnforcement(),
                config.anomaly().window(),
                config.maxInFlight(),
                config.teamWeights());
    }
}
