package dev.loopline.state.common;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The one clock of the service; tests may replace it. */
public class ClockConfig {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
