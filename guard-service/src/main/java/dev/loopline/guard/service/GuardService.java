package dev.loopline.guard.service;

import dev.loopline.core.check.ChangeScanner;
import dev.loopline.core.check.SandboxPolicy;
import dev.loopline.core.check.Verifier;
import dev.loopline.core.guard.command.SpecCommandGuard;
import dev.loopline.core.io.Git;
import dev.loopline.core.io.GitMirror;
import dev.loopline.core.io.TestSandbox;
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
import org.jboss.logging.Logger;

/** Turns each proposal into a verdict with the same tick and attempt. Free of Kafka. */
@ApplicationScoped
public class GuardService {

    public static final String SOURCE = "guard-service";

    private static final Logger LOG = Logger.getLogger(GuardService.class);

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
    private SandboxPolicy sandbox;

    void start(@Observes StartupEvent started) {
        mirrors.sweep();
        TestSandbox chosen = sandbox().sandbox();
        if (chosen instanceof TestSandbox.Unavailable unavailable
                && config.sandbox().mode() == GuardConfig.Sandbox.Mode.BUBBLEWRAP) {
            throw new IllegalStateException(
                    "loopline.guard.sandbox.mode=bubblewrap but bubblewrap cannot run here: " + unavailable.reason());
        }
        if (chosen instanceof TestSandbox.Unavailable unavailable) {
            LOG.warnf("test sandbox: none usable, test commands will not run (escalate): %s", unavailable.reason());
        } else if (chosen instanceof TestSandbox.None) {
            LOG.warnf("test sandbox: none (loopline.guard.sandbox.mode=none): test commands run UNSANDBOXED");
        } else {
            String user = chosen instanceof TestSandbox.Bubblewrap box && box.drop() != null
                    ? "; the guard is root, so test commands run as uid "
                            + box.drop().uid()
                    : "";
            LOG.infof("test sandbox: %s (%s)%s", chosen.name(), chosen.description(), user);
        }
    }

    /** The sandbox test commands run in, chosen once from {@code loopline.guard.sandbox.mode}. */
    public synchronized SandboxPolicy sandbox() {
        if (sandbox == null) {
            GuardConfig.Sandbox settings = config.sandbox();
            TestSandbox chosen =
                    switch (settings.mode()) {
                        case NONE -> new TestSandbox.None();
                        case AUTO, BUBBLEWRAP -> TestSandbox.detect();
                    };
            sandbox = new SandboxPolicy(
                    chosen,
                    settings.memory(),
                    settings.processes(),
                    settings.cpuTime(),
                    settings.fileSize(),
                    settings.hiddenPaths().orElse(List.of()));
        }
        return sandbox;
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
        return Optional.of(verdictEvent(event, proposal, verified));
    }

    /**
     * The verdict's event: a re-verification the gate asked for (an approved change on a moved base) carries the
     * approval id and an id of its own, so it is neither taken for the tick's verdict nor dropped as its duplicate.
     */
    private Event verdictEvent(Event event, ChangeProposed proposal, ChangeVerified verified) {
        if (proposal.approvalId() == null) {
            return Event.of(
                    SOURCE, clock.instant(), event.loopId(), event.tickId(), event.team(), event.attempt(), verified);
        }
        return Event.keyed(
                SOURCE,
                clock.instant(),
                event.loopId(),
                event.tickId(),
                event.team(),
                event.attempt(),
                verified.forApproval(proposal.approvalId()),
                "approval/" + proposal.approvalId() + "/" + proposal.baseSha());
    }

    /**
     * The verdict on a proposal the guard could not verify (its handling threw after every retry): {@code error},
     * with the failure as the reason, so that nothing is merged and the agent ends the tick {@code error}.
     */
    public Event failed(Event event, RuntimeException failure) {
        ChangeProposed proposal = event.dataAs(ChangeProposed.class);
        String reason = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        ChangeVerified verified =
                Verifier.verdict(proposal, ChangeVerified.Verdict.ERROR, List.of(reason), List.of(), null);
        registry.counter("loopline.guard.verdicts", "verdict", "error").increment();
        return verdictEvent(event, proposal, verified);
    }

    private synchronized Verifier verifier() {
        if (verifier == null) {
            verifier = new Verifier(
                    mirrors,
                    new Git("git", config.gitTimeout()),
                    config.maxTestTimeout(),
                    scanners(),
                    SpecCommandGuard::check,
                    config.workDir().resolve("scratch"),
                    sandbox());
        }
        return verifier;
    }

    private List<ChangeScanner> scanners() {
        return scannerBeans.stream().toList();
    }
}
