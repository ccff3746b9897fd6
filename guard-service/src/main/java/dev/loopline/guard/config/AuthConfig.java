package dev.loopline.guard.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

@ConfigMapping(prefix = "loopline.auth")
public interface AuthConfig {

    /** Bearer token every non-{@code /q/} endpoint requires; unset means every request is refused. */
    Optional<String> token();
}
