package dev.loopline.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The claude-code maker: where the CLI is, how it reaches the model, and its limits. */
@ConfigMapping(prefix = "loopline.agent.claude-code")
public interface ClaudeCodeConfig {

    /**
     * The Claude Code binary. Absent: the project-local install ({@code .tools/claude-code/…/claude}, in the working
     * directory or a parent, as {@code ./loopline} installs it) when it exists, else {@code claude} on the PATH.
     */
    Optional<String> binary();

    /** The model API the CLI calls ({@code ANTHROPIC_BASE_URL}); absent: the CLI's default. */
    Optional<URI> baseUrl();

    /** The key the CLI sends ({@code ANTHROPIC_API_KEY}); required to run the maker. Never logged. */
    Optional<String> apiKey();

    /**
     * Extra CA certificates (PEM) the CLI trusts ({@code NODE_EXTRA_CA_CERTS}), e.g. a TLS-inspecting proxy's.
     */
    Optional<Path> extraCaCerts();

    /**
     * Hard limit of one run; the CLI's whole process tree is killed after it. application.properties sets it to
     * {@code shell-timeout}, which it may not exceed (the budget hold lasts {@code shell-timeout} + margin).
     */
    @WithDefault("10m")
    Duration timeout();

    /** {@code --max-turns} for a spec without {@code maker.maxTurns}. */
    @WithDefault("30")
    int defaultMaxTurns();

    /** {@code --allowedTools} for a spec without {@code maker.allowedTools}: no web tools unless a loop asks. */
    @WithDefault("Read,Glob,Grep,Edit,Write,NotebookEdit,Bash")
    List<String> defaultAllowedTools();

    /**
     * Whether WebFetch first asks Anthropic whether a domain may be fetched (the CLI's preflight). Off only where
     * that service cannot be reached (offline tests); Loopline's own hooks apply either way.
     */
    @WithDefault("true")
    boolean webFetchPreflight();

    /**
     * Where the hook script reaches this agent ({@code POST <hook-url>/api/v1/hooks/<token>}); absent:
     * {@code http://127.0.0.1:<the agent's HTTP port>}.
     */
    Optional<URI> hookUrl();

    /** How long one hook call may take before the hook gives up and blocks the call. */
    @WithDefault("10s")
    Duration hookTimeout();
}
