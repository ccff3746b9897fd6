package dev.loopline.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "loopline.agent")
public interface AgentConfig {

    /** Mirrors and throwaway worktrees live here. */
    @WithDefault("${java.io.tmpdir}/loopline-agent")
    Path workDir();

    /** Hard limit of one shell-maker run; the process tree is killed after it. */
    @WithDefault("10m")
    Duration shellTimeout();

    /** Limit of each git command (clone, fetch, worktree, diff). */
    @WithDefault("5m")
    Duration gitTimeout();

    /**
     * Largest diff proposed; a bigger one ends the tick with an error (the diff travels in Kafka messages,
     * twice: proposal and verdict).
     */
    @WithDefault("262144")
    int maxDiffBytes();

    /** The compacted control topic (kill switches, budget alerts), read whole by every replica. */
    String controlTopic();

    /**
     * How long a tick waits for the control topic to be read to its end (at start-up) before it ends with an
     * error: until then the kill switches are unknown.
     */
    @WithDefault("30s")
    Duration controlCatchUpTimeout();

    /** Where the budget ledger lives ({@code loopline.agent.state.*}). */
    State state();

    /** Token budget: a hold on the ledger before every maker run ({@code loopline.agent.budget.*}). */
    Budget budget();

    interface State {
        /**
         * state-service's base URL (env {@code LOOPLINE_AGENT_STATE_URL}), e.g. {@code http://state-service:8085};
         * required while the budget is enabled.
         */
        Optional<URI> url();

        /**
         * A state-service API token with the operate permission (operator or admin), sent as {@code Authorization:
         * Bearer} (env {@code LOOPLINE_AGENT_STATE_TOKEN}); required while the budget is enabled. Never logged.
         */
        Optional<String> token();

        /** Limit of opening a connection to state-service. */
        @WithDefault("2s")
        Duration connectTimeout();

        /** Limit of one ledger request; a slower answer counts as the ledger being unavailable. */
        @WithDefault("5s")
        Duration requestTimeout();
    }

    interface Budget {
        /**
         * Reserve before every maker run, settle after. Off only for a deployment without a state-service; then no
         * cap is enforced on what the makers spend.
         */
        @WithDefault("true")
        boolean enabled();

        /** Tokens reserved per attempt for a spec without {@code budget.tokensPerRun}. */
        @WithDefault("50000")
        long defaultTokensPerRun();

        /**
         * A hold lives for the maker timeout ({@link AgentConfig#shellTimeout()}) plus this margin (at most an hour,
         * state-service's limit); a hold the agent never settles (it died) expires then by itself.
         */
        @WithDefault("2m")
        Duration holdMargin();
    }
}
