package dev.loopline.scheduler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** Scheduler settings ({@code loopline.scheduler.*}). */
@ConfigMapping(prefix = "loopline.scheduler")
public interface SchedulerConfig {

    /** Directory of loop spec files ({@code *.yaml}, {@code *.yml}, {@code *.json}); required. */
    Path specDir();

    /** How often the spec directory is read again; changed specs apply from the next trigger. */
    @WithDefault("10s")
    Duration reloadInterval();

    /** How often due loops are looked for (also bound in {@code @Scheduled}). */
    @WithDefault("1s")
    Duration tickInterval();

    /** A tick with no TickCompleted after this long no longer blocks its loop. */
    @WithDefault("15m")
    Duration tickTimeout();

    /**
     * A newly registered loop first runs at a random point between now and the smaller of this and its
     * cadence's lower bound, so a restart does not wake every loop at the same instant.
     */
    @WithDefault("5s")
    Duration firstRunJitter();
}
