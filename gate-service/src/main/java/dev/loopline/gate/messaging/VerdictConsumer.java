package dev.loopline.gate.messaging;

import dev.loopline.core.control.Admission;
import dev.loopline.core.io.GitException;
import dev.loopline.gate.config.GateConfig;
import dev.loopline.gate.service.GateControl;
import dev.loopline.gate.service.GateService;
import dev.loopline.schemas.events.ChangeDecided;
import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventCodec;
import dev.loopline.schemas.events.EventType;
import dev.loopline.schemas.events.InvalidEventException;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes verdicts and publishes the gate's decision with the verdict's attempt. Safe under redelivery:
 * the gate's commits are reproducible and its pushes never force, so handling a verdict twice changes
 * nothing on the target and re-emits the same decision id.
 */
@ApplicationScoped
public class VerdictConsumer {

    static final String SOURCE = "gate-service";
    private static final Logger LOG = Logger.getLogger(VerdictConsumer.class);

    private final GateService gate;
    private final DecisionProducer decisions;
    private final DeadLetterProducer deadLetters;
    private final GateConfig config;
    private final Clock clock;
    private final MeterRegistry registry;
    private final GateControl control;

    public VerdictConsumer(
            GateService gate,
            DecisionProducer decisions,
            DeadLetterProducer deadLetters,
            GateConfig config,
            Clock clock,
            MeterRegistry registry,
            GateControl control) {
        this.control = control;
        this.gate = gate;
        this.decisions = decisions;
        this.deadLetters = deadLetters;
        this.config = config;
        this.clock = clock;
        this.registry = registry;
    }

    @Incoming(GateChannels.VERDICTS)
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(Message<String> message) {
        Event event;
        try {
            event = EventCodec.decode(message.getPayload());
        } catch (InvalidEventException e) {
            deadLetters.send(message, e.getMessage());
            return message.ack();
        }
        if (event.eventType() != EventType.CHANGE_VERIFIED) {
            deadLetters.send(message, "expected " + EventType.CHANGE_VERIFIED.wireName() + ", got " + event.type());
            return message.ack();
        }
        Optional<ChangeDecided> decided;
        try {
            decided = decideWithRetries(event, control.admission(event.loopId(), event.team()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "cannot handle verdict %s of tick %s", event.id(), event.tickId());
            deadLetters.send(message, "cannot handle verdict: " + e);
            return message.ack();
        }
        if (decided.isPresent()) {
            ChangeDecided decision = decided.get();
            // a broker failure here nacks the verdict: it is redelivered and the decision re-derived
            decisions.send(Event.of(
                    SOURCE, clock.instant(), event.loopId(), event.tickId(), event.team(), event.attempt(), decision));
            registry.counter("loopline.gate.decisions", "decision", wireName(decision.decision()))
                    .increment();
            LOG.infof(
                    "tick %s attempt %d of %s: %s (%s)",
                    event.tickId(), event.attempt(), event.loopId(), wireName(decision.decision()), decision.reason());
        } else {
            LOG.debugf(
                    "tick %s attempt %d rejected by the checker; nothing to decide", event.tickId(), event.attempt());
        }
        return message.ack();
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
