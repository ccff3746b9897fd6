package dev.loopline.guard.service;

import dev.loopline.core.guard.command.SpecCommandGuard;
import dev.loopline.core.io.Git;
import dev.loopline.core.io.GitMirror;
import dev.loopline.guard.config.GuardConfig;
import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.Event;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Turns each proposal into a verdict with the same tick and attempt. Free of Kafka. */
@ApplicationScoped
public class GuardService {

    public static final String SOURCE = "guard-service";

    @Inject
    GuardConfig config;

    @Inject
    GitMirror mirrors;

    @Inject
    Instance<ChangeScanner> scannerBeans;

    @Inject
    MeterRegistry registry;

    Clock clock = Clock.systemUTC();

    private Verifier verifier;

    void start(@Observes StartupEvent started) {
        mirrors.sweep();
    }

    public List<String> scannerNames() {
        return scanners().stream().map(ChangeScanner::name).toList();
    }

    public Optional<Event> onProposal(Event event) {
        ChangeProposed proposal = event.dataAs(ChangeProposed.class);
        ChangeVerified verified = verifier().verify(proposal, event.tickId() + "-" + event.attempt());
        registry.counter(
                        "loopline.guard.verdicts",
                        "verdict",
                        verified.verdict().name().toLowerCase(java.util.Locale.ROOT))
                .increment();
        return Optional.of(Event.of(
                SOURCE, clock.instant(), event.loopId(), event.tickId(), event.team(), event.attempt(), verified));
    }

    private synchronized Verifier verifier() {
        if (verifier == null) {
            verifier = new Verifier(
                    mirrors,
                    new Git("git", config.gitTimeout()),
                    config.maxTestTimeout(),
                    scanners(),
                    SpecCommandGuard::check,
                    config.workDir().resolve("scratch"));
        }
        return verifier;
    }

    private List<ChangeScanner> scanners() {
        return scannerBeans.stream().toList();
    }
}
