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

    /**
     * How long a stopping agent (SIGTERM: scale-in, a rolling update) lets the ticks it is running finish before it
     * ends them {@code halted} (code {@code timeout}). Keep it at least the longest maker run (shell-timeout,
     * model.run-timeout) and at least 30 s below the pod's {@code terminationGracePeriodSeconds}: the agent needs that
     * time to publish the halted ticks' completions and commit its offsets before Kubernetes kills it.
     */
    @WithDefault("10m")
    Duration drainTimeout();

    /** Where the budget ledger lives ({@code loopline.agent.state.*}). */
    State state();

    /** Token budget: a hold on the ledger before every maker run ({@code loopline.agent.budget.*}). */
    Budget budget();

    /** The openai and anthropic makers ({@code loopline.agent.model.*}). */
    Model model();

    /** The triage stage of report and triage loops ({@code loopline.agent.triage.*}). */
    Triage triage();

    /** Transcript compaction of the openai and anthropic makers ({@code loopline.agent.compaction.*}). */
    Compaction compaction();

    interface Compaction {
        /** Compact once the transcript sent to the model is longer than this many characters (about 4 per token). */
        @WithDefault("200000")
        long aboveChars();

        /** Compact also once the provider reported more input tokens than this for the last call; 0: no token limit. */
        @WithDefault("0")
        long aboveTokens();

        /** Model turns (with their tool results) kept verbatim; older ones are folded into a summary. */
        @WithDefault("4")
        int keepRecentTurns();
    }

    /** The per-loop notebook the openai and anthropic makers read and append ({@code loopline.agent.notebook.*}). */
    Notebook notebook();

    interface Notebook {
        /** Read the loop's notes from state-service into the task and offer the {@code add_note} tool. */
        @WithDefault("true")
        boolean enabled();

        /** The newest notes put in the task at most. */
        @WithDefault("20")
        int notesShown();

        /** Longest notes section of the task, in characters; older notes beyond it are left out. */
        @WithDefault("8000")
        int maxChars();
    }

    interface Triage {
        /** Commits a ref's first triage reads (it has no cursor yet): the newest ones. */
        @WithDefault("20")
        int firstRunCommits();

        /** Most commits read per ref and run (at most 500); the oldest are kept and the cursor stops there. */
        @WithDefault("200")
        int maxCommits();
    }

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
         * A hold lives for the longer maker timeout ({@link AgentConfig#shellTimeout()}, {@link Model#runTimeout()})
         * plus this margin (at most an hour, state-service's limit); a hold the agent never settles (it died) expires
         * then by itself.
         */
        @WithDefault("2m")
        Duration holdMargin();
    }

    interface Model {
        /** Limit of one model call (one HTTP request, not counting retries); a slower answer is retried. */
        @WithDefault("2m")
        Duration callTimeout();

        /** Limit of one maker run, all turns, retries and commands included; the run fails after it. */
        @WithDefault("10m")
        Duration runTimeout();

        /** Most model calls in one run when the spec sets no {@code maker.maxTurns}. */
        @WithDefault("20")
        int maxTurns();

        /** Most tries of one model call: HTTP 408, 429, 5xx, timeouts and broken connections are tried again. */
        @WithDefault("4")
        int maxAttempts();

        /** Wait before the first retry, doubled for each further one (with jitter), unless Retry-After says. */
        @WithDefault("1s")
        Duration retryBackoff();

        /** Longest wait between two tries that the backoff alone picks (Retry-After may ask for longer). */
        @WithDefault("30s")
        Duration retryMaxBackoff();

        /** Limit of one {@code run_command} tool call; its process group is killed after it. */
        @WithDefault("2m")
        Duration commandTimeout();

        /** Most tokens of one answer ({@code max_tokens}; the Anthropic Messages API requires it). */
        @WithDefault("8192")
        int maxOutputTokens();
    }
}
