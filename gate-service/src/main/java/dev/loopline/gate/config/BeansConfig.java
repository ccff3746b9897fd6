package dev.loopline.gate.config;

import dev.loopline.core.io.Git;
import dev.loopline.gate.repository.TargetRepository;
import dev.loopline.gate.service.GateService;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Wires the framework-free gate classes; they stay plain so tests build them against temp repos. */
public class BeansConfig {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    TargetRepository targetRepository(GateConfig config) {
        return new TargetRepository(new Git("git", config.gitTimeout()), config.workDir());
    }

    @Produces
    @Singleton
    GateService gateService(TargetRepository target, GateConfig config) {
        return new GateService(
                target, config.identity().name(), config.identity().email());
    }
}
