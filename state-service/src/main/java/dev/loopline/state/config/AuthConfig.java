package dev.loopline.state.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Service-to-service authentication of the state API. */
@ConfigMapping(prefix = "loopline.auth")
public interface AuthConfig {

    /** The bearer token every {@code /api} request must carry; blank refuses everybody. */
    @WithDefault(" ")
    String token();
}
