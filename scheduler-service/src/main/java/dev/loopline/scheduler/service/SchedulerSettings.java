package dev.loopline.scheduler.service;

import dev.loopline.core.schedule.AnomalyDetector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The scheduler's settings; see {@code SchedulerConfig}, from which {@code BeansConfig} produces them.
 *
 * @param maxInFlight at most this many ticks in flight across all replicas before the due-check holds back due
 *     loops (they stay due); manual and event triggers are not held back by it
 * @param teamWeights fair-share weight per team (teams not listed weigh 1)
 */
public record SchedulerSettings(
        Path specDir,
        Duration tickTimeout,
        Duration firstRunJitter,
        LevelEnforcement levelEnforcement,
        int anomalyWindow,
        int maxInFlight,
        Map<String, Integer> teamWeights) {

    /** Default cap of ticks in flight across all replicas. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 50;

    public SchedulerSettings {
        if (anomalyWindow < AnomalyDetector.MIN_WINDOW) {
            throw new IllegalArgumentException("loopline.scheduler.anomaly.window must be at least "
                    + AnomalyDetector.MIN_WINDOW + " to see both anomalies, got " + anomalyWindow);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException(
                    "loopline.scheduler.max-in-flight must be at least 1, got " + maxInFlight);
        }
        teamWeights = Map.copyOf(teamWeights);
    }

    /** Defaults for what is not given: levels capped, anomaly window of 4, 50 in flight, equal teams. */
    public SchedulerSettings(Path specDir, Duration tickTimeout, Duration firstRunJitter) {
        this(specDir, tickTimeout, firstRunJitter, LevelEnforcement.CAP, AnomalyDetector.MIN_WINDOW);
    }

    public SchedulerSettings(
            Path specDir, Duration tickTimeout, Duration firstRunJitter, LevelEnforcement levelEnforcement) {
        this(specDir, tickTimeout, firstRunJitter, levelEnforcement, AnomalyDetector.MIN_WINDOW);
    }

    public SchedulerSettings(
            Path specDir,
            Duration tickTimeout,
            Duration firstRunJitter,
            LevelEnforcement levelEnforcement,
            int anomalyWindow) {
        this(specDir, tickTimeout, firstRunJitter, levelEnforcement, anomalyWindow, DEFAULT_MAX_IN_FLIGHT, Map.of());
    }

    public SchedulerSettings withMaxInFlight(int max, Map<String, Integer> weights) {
        return new SchedulerSettings(
                specDir, tickTimeout, firstRunJitter, levelEnforcement, anomalyWindow, max, weights);
    }
}
