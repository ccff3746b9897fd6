package dev.loopline.gate.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** API authentication ({@code loopline.auth.*}); the token comes from the environment in production. */
@ConfigMapping(prefix = "loopline.auth")
public interface AuthConfig {

    /** The service token: the admin caller {@code bootstrap}, shared by the Loopline services. */
    String token();

    /**
     * The state-service that tells who any other bearer token (an issued API token, an OIDC JWT) belongs to; unset =
     * only the service token is accepted.
     */
    Optional<URI> stateUrl();

    /** How long an answer of state-service is trusted (a revoked token works at most this long). */
    @WithDefault("30s")
    Duration cacheTtl();

    /** Connect and answer timeout of that question. */
    @WithDefault("2s")
    Duration stateTimeout();
}
