package dev.loopline.dashboard.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

@ConfigMapping(prefix = "loopline.dashboard")
public interface DashboardConfig {

    /** The bearer token the dashboard presents to state-service. */
    Optional<String> stateToken();
}
