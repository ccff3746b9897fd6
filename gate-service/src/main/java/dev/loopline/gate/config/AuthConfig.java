package dev.loopline.gate.config;

import io.smallrye.config.ConfigMapping;

/** API authentication ({@code loopline.auth.*}); the token comes from the environment in production. */
@ConfigMapping(prefix = "loopline.auth")
public interface AuthConfig {

    /** The bearer token every {@code /api/} request must carry. */
    String token();
}
