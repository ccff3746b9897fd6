package dev.loopline.state.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Authentication of the state API: the bootstrap service token and the lifetime of issued tokens. */
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
}
