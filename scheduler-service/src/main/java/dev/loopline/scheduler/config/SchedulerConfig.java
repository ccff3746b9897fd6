package dev.loopline.scheduler.config;

import dev.loopline.scheduler.service.LevelEnforcement;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Scheduler settings ({@code loopline.scheduler.*}). */
@ConfigMapping(prefix = "loopline.scheduler")
public interface SchedulerConfig {

    /**
     * Directory of loop spec files ({@code *.yaml}, {@code *.yml}, {@code *.json}); required unless the specs come
     * from a git repository ({@link #specRepo()}).
     */
    Optional<Path> specDir();

    /** Loop specs from a git repository, fetched before every reload ({@code loopline.scheduler.spec-repo.*}). */
    SpecRepo specRepo();

    interface SpecRepo {
        /** What {@code git clone} accepts; credentials from the git credential helper or SSH agent, never here. */
        Optional<String> url();

        /** The branch to follow. */
        @WithDefault("main")
        String ref();

        /** The specs' directory inside the repository. */
        @WithDefault(".")
        String path();

        /** Where the checkout lives; default: a directory under java.io.tmpdir named after the replica. */
        Optional<Path> checkout();
    }

    /** How often the spec directory is read again; changed specs apply from the next trigger. */
    @WithDefault("10s")
    Duration reloadInterval();

    /** How often due loops are looked for (also bound in {@code @Scheduled}). */
    @WithDefault("250ms")
    Duration tickInterval();

    /** A tick with no TickCompleted after this long no longer blocks its loop. */
    @WithDefault("15m")
    Duration tickTimeout();

    /**
     * A newly registered loop first runs at a random point between now and the smaller of this and its
     * cadence's lower bound, so a restart does not wake every loop at the same instant.
     */
    @WithDefault("5s")
    Duration firstRunJitter();

    /**
     * What to do with a spec that declares a level it is not ready for ({@code SpecAuditor}): {@code cap}
     * runs it at the level it is ready for, {@code refuse} lists it as not runnable.
     */
    @WithDefault("cap")
    LevelEnforcement levelEnforcement();

    /**
     * This replica's name in the leases and the leadership row; default: host name plus a random suffix, so
     * every process is distinct.
     */
    Optional<String> replicaId();

    /**
     * Ticks in flight across all replicas (counted from the tick leases) above which the due-check starts no
     * more cadence/cron runs; due loops wait (they are not skipped). Manual and event triggers are not held
     * back by it.
     */
    @WithDefault("50")
    int maxInFlight();

    /**
     * Fair-share weight per team ({@code loopline.scheduler.team-weights.<team>=<n>}, n ≥ 1): when tick slots
     * are short, a team of weight 2 gets twice the share of a team of weight 1. Teams not listed weigh 1.
     */
    Map<String, Integer> teamWeights();

    /** Where the scheduler asks whether a loop may run ({@code loopline.scheduler.state.*}). */
    State state();

    interface State {
        /**
         * state-service's base URL (env {@code LOOPLINE_SCHEDULER_STATE_URL}); required: without an answer from
         * state-service about kill switches and budgets no tick starts.
         */
        Optional<java.net.URI> url();

        /** A token state-service accepts (viewer is enough); default: {@code loopline.auth.token}. */
        Optional<String> token();

        /** How often the control snapshot (kill switches, budget alerts) is fetched. */
        @WithDefault("2s")
        Duration pollInterval();

        /** How old the last snapshot may be before no tick starts (state-service unreachable: fail closed). */
        @WithDefault("15s")
        Duration maxAge();
    }

    /** Leadership of the due-check ({@code loopline.scheduler.leader.*}). */
    Leader leader();

    interface Leader {
        /** How often the leader renews (and others try to take) the leadership row. */
        @WithDefault("2s")
        Duration renewInterval();

        /**
         * How long leadership lasts without a renewal, by the database clock; a dead leader is replaced within
         * ttl + renew interval. Must be longer than the renew interval.
         */
        @WithDefault("10s")
        Duration ttl();
    }

    /** Anomaly halting ({@code loopline.scheduler.anomaly.*}). */
    Anomaly anomaly();

    interface Anomaly {
        /** How many recent tick outcomes are kept per loop (at least 4, enough to see an oscillation). */
        @WithDefault("4")
        int window();
    }
}
