package dev.loopline.scheduler.config;

import dev.loopline.core.spec.LoopSpecReader;
import dev.loopline.scheduler.service.SchedulerService;
import dev.loopline.scheduler.service.TickPublisher;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.random.RandomGenerator;

/**
 * Wires the framework-free scheduler. Clock and random source are beans so tests can replace them and get
 * deterministic runs and tick ids.
 */
public class BeansConfig {

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    @DefaultBean
    RandomGenerator random() {
        return new SecureRandom();
    }

    @Produces
    @Singleton
    SchedulerService schedulerService(
            SchedulerConfig config, Clock clock, RandomGenerator random, TickPublisher publisher) {
        return new SchedulerService(
                new LoopSpecReader(),
                new SchedulerService.Settings(config.specDir(), config.tickTimeout(), config.firstRunJitter()),
                clock,
                random,
                publisher);
    }
}
