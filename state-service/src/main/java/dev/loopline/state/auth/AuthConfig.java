package dev.loopline.state.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Authentication of the state API: the bootstrap service token, the lifetime of issued tokens, optional OIDC. */
@ConfigMapping(prefix = "loopline.auth")
public interface AuthConfig {

    /**
     * The bootstrap token: an admin token from the environment that the services and the local stack use; blank
     * refuses it (only issued tokens are then accepted).
     */
    @WithDefault(" ")
    String token();

    /** Lifetime of an issued token when its creation names no expiry. */
    @WithDefault("P90D")
    Duration defaultTokenTtl();

    /** Longest lifetime an issued token may have. */
    @WithDefault("P400D")
    Duration maxTokenTtl();

    /** Bearer JWTs from an OpenID Connect issuer; off while {@code issuer} is unset. */
    Oidc oidc();

    interface Oidc {

        /** The issuer ({@code iss}) exactly as the provider writes it; unset = OIDC off. */
        Optional<String> issuer();

        /** Must be one of the token's {@code aud} values; required when {@code issuer} is set. */
        Optional<String> audience();

        /** The issuer's key set; unset = {@code jwks_uri} of {@code <issuer>/.well-known/openid-configuration}. */
        Optional<String> jwksUrl();

        /**
         * The claim holding the caller's groups or roles: an array or a space-separated string. A name that is not a
         * top-level claim is followed as a dotted path ({@code realm_access.roles}).
         */
        @WithDefault("groups")
        String rolesClaim();

        /** Leeway for {@code exp} / {@code nbf} against this machine's clock. */
        @WithDefault("PT30S")
        Duration clockSkew();

        /** Connect and read timeout of the discovery document and the key set. */
        @WithDefault("PT5S")
        Duration fetchTimeout();

        /** Group that makes a caller admin. */
        @WithDefault("loopline-admin")
        String adminGroup();

        /** Group that makes a caller operator. */
        @WithDefault("loopline-operator")
        String operatorGroup();

        /** Group that makes a caller viewer. */
        @WithDefault("loopline-viewer")
        String viewerGroup();

        /** Prefix of the groups that make a caller approver of the team named after it. */
        @WithDefault("loopline-approver:")
        String approverGroupPrefix();
    }
}
