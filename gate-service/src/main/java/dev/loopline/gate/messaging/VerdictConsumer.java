package dev.loopline.gate.messaging;

import dev.loopline.core.control.Admission;
import dev.loopline.core.io.GitException;
import dev.loopline.gate.config.GateConfig;
import dev.loopline.gate.service.ApprovalService;
import dev.loopline.gate.service.GateControl;
import dev.loopline.gate.service.GateService;
import dev.loopline.schemas.events.ChangeDecided;
import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.DeadLetter;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventType;
import dev.loopline.support.messaging.Inbound;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes verdicts and publishes the gate's decision with the verdict's attempt, along {@link Inbound}'s path: a
 * record that is not a valid verdict is dead-lettered; a verdict the gate cannot handle is retried, then decided
 * {@code error} (nothing pushed), so its tick ends. Safe under redelivery: the gate's commits are reproducible and
 * its pushes never force, so handling a verdict twice changes nothing on the target and re-emits the same decision
 * id.
 */
@ApplicationScoped
public class VerdictConsumer {

    static final String SOURCE = "gate-service";
    private static final Logger LOG = Logger.getLogger(VerdictConsumer.class);

    private final GateService gate;
    private final GateConfig config;
    private final Clock clock;
    private final MeterRegistry registry;
    private final GateControl control;
    private final Inbound inbound;
    private final ApprovalService approvals;

    public VerdictConsumer(
            GateService gate,
            DecisionProducer decisions,
            DeadLetterProducer deadLetters,
            GateConfig config,
            Clock clock,
            MeterRegistry registry,
            GateControl control,
            ApprovalService approvals,
            @ConfigProperty(name = "loopline.inbound.attempts", defaultValue = "3") int attempts,
            @ConfigProperty(name = "loopline.inbound.first-backoff", defaultValue = "1s") Duration firstBackoff) {
        this.control = control;
        this.approvals = approvals;
        this.gate = gate;
        this.config = config;
        this.clock = clock;
        this.registry = registry;
        Inbound.Outbox outbox = new Inbound.Outbox() {
            @Override
            public void publish(Event event) {
                decisions.send(event);
            }

            @Override
            public void publish(DeadLetter letter) {
                deadLetters.send(letter);
            }
        };
        this.inbound = new Inbound(
                SOURCE,
                outbox,
                Inbound.FailurePolicy.endTick(attempts, firstBackoff, this::failed),
                clock,
                Inbound.Pause.THREAD);
    }

    @Incoming(GateChannels.VERDICTS)
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(Message<String> message) {
        return inbound.handle(message, EventType.CHANGE_VERIFIED, this::decide);
    }

    private Optional<Event> decide(Event event) {
        ChangeVerified verified = event.dataAs(ChangeVerified.class);
        if (verified.approvalId() != null) {
            reverified(event);
            return Optional.empty();
        }
        Optional<ChangeDecided> decided = decideWithRetries(event, control.admission(event.loopId(), event.team()));
        if (decided.isEmpty()) {
            LOG.debugf(
                    "tick %s attempt %d not accepted by the checker; nothing to decide",
                    event.tickId(), event.attempt());
            return Optional.empty();
        }
        ChangeDecided decision = decided.get();
        if (decision.decision() == ChangeDecided.Decision.AWAITING_APPROVAL) {
            // opened before the decision is published: a crash in between re-opens the same request on redelivery
            decision = approvals.open(event, verified, decision);
        }
        return Optional.of(decision(event, decision));
    }

    /**
     * The guard's verdict on an approved change the gate sent back on a moved base: the approval's business only. A
     * failure here must not end the tick a second time, so it is logged; the request stays open until it expires.
     */
    private void reverified(Event event) {
        try {
            approvals.onReverified(event);
        } catch (RuntimeException e) {
            LOG.errorf(
                    e,
                    "re-verification verdict of approval %s (tick %s) could not be handled",
                    event.dataAs(ChangeVerified.class).approvalId(),
                    event.tickId());
        }
    }

    /** The decision on a verdict the gate could not handle after its retries: nothing was pushed. */
    private Event failed(Event event, RuntimeException failure) {
        ChangeVerified verified = event.dataAs(ChangeVerified.class);
        return decision(
                event,
                new ChangeDecided(
                        ChangeDecided.Decision.ERROR,
                        failure.getMessage() + "; nothing was pushed",
                        null,
                        null,
                        verified.baseSha(),
                        verified.diffSha256(),
                        verified.tickTokens()));
    }

    private Event decision(Event verdict, ChangeDecided decision) {
        registry.counter("loopline.gate.decisions", "decision", wireName(decision.decision()))
                .increment();
        LOG.infof(
                "tick %s attempt %d of %s: %s (%s)",
                verdict.tickId(),
                verdict.attempt(),
                verdict.loopId(),
                wireName(decision.decision()),
                decision.reason());
        return Event.of(
                SOURCE,
                clock.instant(),
                verdict.loopId(),
                verdict.tickId(),
                verdict.team(),
                verdict.attempt(),
                decision);
    }

    /** Git failures may be transient (remote unreachable): retry, then fail closed by escalating. */
    private Optional<ChangeDecided> decideWithRetries(Event event, Admission admission) {
        RuntimeException last = null;
        int attempts = Math.max(1, config.gitAttempts());
        for (int i = 1; i <= attempts; i++) {
            try {
                return gate.decide(event, admission);
            } catch (GitException | UncheckedIOException e) {
                last = e;
                LOG.warnf("gate attempt %d/%d for tick %s failed: %s", i, attempts, event.tickId(), e.getMessage());
            }
        }
        ChangeVerified verified = event.dataAs(ChangeVerified.class);
        return Optional.of(new ChangeDecided(
                ChangeDecided.Decision.ESCALATED,
                "the gate could not complete the git operations: " + last.getMessage(),
                null,
                null,
                verified.baseSha(),
                verified.diffSha256(),
                verified.tickTokens()));
    }

    private static String wireName(ChangeDecided.Decision decision) {
        return decision.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
