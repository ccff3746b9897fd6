package dev.loopline.gate.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Gate settings ({@code loopline.gate.*}). */
@ConfigMapping(prefix = "loopline.gate")
public interface GateConfig {

    /** Where the gate keeps one bare mirror per target repository and the throwaway index files it commits from. */
    @WithDefault("${java.io.tmpdir}/loopline-gate")
    Path workDir();

    /** Longest any single git command (fetch, apply, push) may run. */
    @WithDefault("5m")
    Duration gitTimeout();

    /** How many times a verdict is tried when git fails (unreachable remote, ...) before escalating. */
    @WithDefault("3")
    int gitAttempts();

    /** The compacted control topic (kill switches, budget alerts), read whole by every replica (ADR 0006). */
    String controlTopic();

    /**
     * How long a verdict waits for the control topic to be read to its end (at start-up) before the gate escalates
     * it without pushing: until then the kill switches are unknown.
     */
    @WithDefault("30s")
    Duration controlCatchUpTimeout();

    /** Human approvals of L2 changes (and L3 changes outside the allowlist). */
    Approvals approvals();

    interface Approvals {

        /** How long a request stays open before it expires and escalates. */
        @WithDefault("72h")
        Duration expiry();

        /** Distinct approvers a request needs unless its team or loop says otherwise. */
        @WithDefault("1")
        int quorum();

        /** Quorum per team: {@code loopline.gate.approvals.team-quorum.<team>=2}. */
        Map<String, Integer> teamQuorum();

        /** Quorum per loop (wins over the team's): {@code loopline.gate.approvals.loop-quorum.<loop>=2}. */
        Map<String, Integer> loopQuorum();

        /**
         * How often the sweep expires overdue requests, retries held merges and publishes unsent events;
         * {@code off} disables it.
         */
        @WithDefault("30s")
        String sweepInterval();

        /** How many times an approved change is re-verified on a moving base before the request is voided. */
        @WithDefault("3")
        int maxReverifications();

        /**
         * How long an approved change sent back to the guard on a moved base waits for the verdict; without one by
         * then the request is voided (nothing merged) instead of staying open until it expires.
         */
        @WithDefault("30m")
        Duration reverifyTimeout();

        /** The dashboard, for links in notices ({@code <url>/ticks/<tickId>}); unset = no link. */
        Optional<String> dashboardUrl();
    }

    /** Author and committer of every commit the gate creates; fixed so that commits are reproducible. */
    Identity identity();

    interface Identity {
        @WithDefault("Loopline Gate")
        String name();

        @WithDefault("gate@loopline.invalid")
        String email();
    }
}
