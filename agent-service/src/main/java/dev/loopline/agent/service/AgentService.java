package dev.loopline.agent.service;

import dev.loopline.agent.client.RunLogClient;
import dev.loopline.core.control.Admission;
import dev.loopline.core.guard.injection.UntrustedText;
import dev.loopline.core.retry.Reflections;
import dev.loopline.core.retry.RetryBreaker;
import dev.loopline.schemas.events.ChangeDecided;
import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.EarlierAttempt;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.EventData;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.schemas.spec.LoopSpec;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The agent's reaction to each input event, free of Kafka: a trigger starts attempt 1, a rejecting verdict
 * starts the next attempt (or ends the tick at the attempt cap), a gate decision ends the tick. Every
 * output event gets the deterministic id of (tick, attempt, type), so handling an input twice re-emits the
 * same event ids.
 */
@ApplicationScoped
public class AgentService {

    public static final String SOURCE = "agent-service";

    private static final Logger LOG = Logger.getLogger(AgentService.class);

    @Inject
    ProposalService proposals;

    @Inject
    MeterRegistry registry;

    @Inject
    UntrustedText untrusted;

    @Inject
    TickControl control;

    @Inject
    TriageService triage;

    @Inject
    RunLogClient runLog;

    Clock clock = Clock.systemUTC();

    public Optional<Event> onTick(Event event) {
        if (ranBefore(event, 1)) {
            return Optional.empty();
        }
        return unlessHandedOver(event, () -> tick(event));
    }

    private Optional<Event> tick(Event event) {
        TickTriggered tick = event.dataAs(TickTriggered.class);
        LoopSpec spec = tick.spec();
        registry.counter("loopline.agent.ticks", "level", spec.level().name()).increment();
        Optional<TickCompleted> refused = refusal(event, 0, 0);
        if (refused.isPresent()) {
            return emit(event, event.attempt(), refused.get());
        }
        if (spec.level() == LoopSpec.Level.L0) {
            return emit(
                    event,
                    event.attempt(),
                    new TickCompleted(TickCompleted.Outcome.NO_OP, 0, 0, "L0 is plan-only", null, null));
        }
        if (TriageService.runsTriage(spec)) {
            return triaged(event);
        }
        return emit(event, 1, attempt(event, spec, 1, 0, List.of(), List.of()));
    }

    /**
     * The triage stage of a report or triage loop: its report ends the tick ({@code no-op}, {@code reported}, or
     * {@code error} when a cited SHA is not grounded), or, for {@code act}, the maker runs on it and the proposal
     * carries the report (the cursor moves when the proposal is recorded).
     */
    private Optional<Event> triaged(Event event) {
        TriageService.Triaged triaged = triage.triage(
                event.loopId(),
                event.tickId(),
                event.dataAs(TickTriggered.class).spec());
        if (triaged instanceof TriageService.Done done) {
            return emit(event, event.attempt(), done.completed());
        }
        TriageService.Act act = (TriageService.Act) triaged;
        EventData result = attempt(event, act.spec(), 1, 0, List.of(), List.of());
        if (result instanceof ChangeProposed proposed) {
            result = proposed.withTriage(act.report());
        }
        return emit(event, 1, result);
    }

    /** One attempt, registered with the control board so that a halt arriving meanwhile stops it. */
    private EventData attempt(
            Event cause,
            LoopSpec spec,
            int attempt,
            long tokensSoFar,
            List<String> reflections,
            List<EarlierAttempt> earlier) {
        try (RunningTick tick = control.start(cause.loopId(), cause.team(), cause.tickId())) {
            EventData result = proposals.attempt(
                    cause.loopId(), cause.tickId(), spec, attempt, tokensSoFar, reflections, earlier, tick);
            if (tick.handedOver()) {
                throw new HandedOver(tick.haltReason().orElse("handed over"));
            }
            return result;
        }
    }

    /**
     * Whether the run log shows that {@code attempt}, which {@code event} starts, already ran to an end: the event was
     * delivered again (its acknowledgement was lost in a rebalance), and a second run would make a second maker run.
     */
    private boolean ranBefore(Event event, int attempt) {
        Optional<String> ended = runLog.attemptEnded(event.tickId(), attempt);
        if (ended.isEmpty()) {
            return false;
        }
        registry.counter("loopline.agent.redelivered").increment();
        LOG.infof(
                "tick %s attempt %d of %s not run again: %s (its record was delivered again)",
                event.tickId(), attempt, event.loopId(), ended.get());
        return true;
    }

    /**
     * The handling of {@code event}, or nothing when its attempt was handed to another worker meanwhile (a
     * rebalance moved the record's partition): that worker reads the record again and publishes the attempt's
     * result, so this one publishes none.
     */
    private Optional<Event> unlessHandedOver(Event event, Supplier<Optional<Event>> handling) {
        try {
            return handling.get();
        } catch (HandedOver e) {
            registry.counter("loopline.agent.handed-over").increment();
            LOG.infof(
                    "tick %s attempt %d of %s stopped and not published: %s",
                    event.tickId(), event.attempt(), event.loopId(), e.getMessage());
            return Optional.empty();
        }
    }

    /** An attempt whose record another worker holds now. */
    private static final class HandedOver extends RuntimeException {
        HandedOver(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Checked before a tick starts and before each further attempt: a halt (kill switch, budget halt) of the loop,
     * its team or global ends the tick {@code halted}; so does a control board that cannot be read (fail closed).
     * Report-only does not stop the agent: proposing writes nothing, the gate then behaves as at L1.
     */
    private Optional<TickCompleted> refusal(Event cause, long tokens, int attempts) {
        try {
            if (control.admission(cause.loopId(), cause.team()) instanceof Admission.Halt halt) {
                return Optional.of(halted(tokens, attempts, halt));
            }
            return Optional.empty();
        } catch (ControlUnavailableException e) {
            // fail closed, and not the loop's fault: three of these in a row must not read as a stall
            return Optional.of(
                    TickCompleted.halted(TickCompleted.Halt.CONTROL_UNAVAILABLE, tokens, attempts, e.getMessage()));
        }
    }

    /** A tick stopped from outside ends {@code halted} with the code of what stopped it and its reason. */
    static TickCompleted halted(long tokens, int attempts, Admission.Halt halt) {
        return TickCompleted.halted(halt.code(), tokens, attempts, halt.reason());
    }

    /**
     * The tick's end when handling its event failed unexpectedly (a bug, not bad input): the tick must still
     * complete, with the reason, instead of the valid input being dead-lettered. {@code e}'s message is the whole
     * reason (see {@code Inbound.HandlingFailed}).
     */
    public Event failed(Event cause, RuntimeException e) {
        long tokens = 0;
        if (cause.data() instanceof ChangeVerified verified) {
            tokens = verified.tickTokens();
        } else if (cause.data() instanceof ChangeDecided decided) {
            tokens = decided.tickTokens();
        }
        String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return emit(
                        cause,
                        cause.attempt(),
                        new TickCompleted(TickCompleted.Outcome.ERROR, tokens, cause.attempt(), what, null, null))
                .orElseThrow();
    }

    public Optional<Event> onVerdict(Event event) {
        ChangeVerified verified = event.dataAs(ChangeVerified.class);
        if (verified.verdict() == ChangeVerified.Verdict.REJECT
                && verified.approvalId() == null
                && ranBefore(event, event.attempt() + 1)) {
            // a rejection starts the next attempt, once
            return Optional.empty();
        }
        return unlessHandedOver(event, () -> verdict(event));
    }

    private Optional<Event> verdict(Event event) {
        ChangeVerified verified = event.dataAs(ChangeVerified.class);
        if (verified.approvalId() != null) {
            // the gate's re-verification of an approved change on a moved base: the tick ended long ago
            return Optional.empty();
        }
        if (verified.verdict() == ChangeVerified.Verdict.ERROR) {
            // the checker could not verify the change: no retry would be checked either, so the tick ends here
            String reasons = String.join("; ", verified.reasons() == null ? List.of() : verified.reasons());
            return emit(
                    event,
                    event.attempt(),
                    completed(
                            TickCompleted.Outcome.ERROR, verified, event.attempt(), "the checker failed: " + reasons));
        }
        if (verified.verdict() != ChangeVerified.Verdict.REJECT) {
            return Optional.empty(); // accept and escalate are the gate's business
        }
        LoopSpec spec = verified.spec();
        int attempt = event.attempt();
        if (spec == null) {
            return emit(
                    event, attempt, completed(TickCompleted.Outcome.ERROR, verified, attempt, "verdict without spec"));
        }
        String reasons = String.join("; ", verified.reasons() == null ? List.of() : verified.reasons());
        if (attempt >= spec.maxAttempts()) {
            return emit(event, attempt, completed(TickCompleted.Outcome.REJECTED, verified, attempt, reasons));
        }
        List<EarlierAttempt> earlier = verified.earlierAttempts() == null ? List.of() : verified.earlierAttempts();
        EarlierAttempt current = EarlierAttempt.of(attempt, verified.reasons(), verified.diffSha256());
        // compared as carried forward (trimmed), so a long reason repeated compares equal to its earlier copy
        Optional<String> repeated = RetryBreaker.repeatedFailure(earlier, attempt, current.reasons());
        if (repeated.isPresent()) {
            registry.counter("loopline.agent.breaker", "why", "repeated-failure")
                    .increment();
            return emit(event, attempt, completed(TickCompleted.Outcome.ESCALATED, verified, attempt, repeated.get()));
        }
        List<EarlierAttempt> history = new ArrayList<>(earlier);
        history.add(current);
        List<String> reflections = Reflections.of(history, verified);
        for (int i = 0; i < reflections.size(); i++) {
            // verdict reasons and test output are written by the code under change: the next maker must not obey them
            Optional<String> refused = untrusted.refusal(
                    "the feedback of attempt " + history.get(i).attempt(), reflections.get(i));
            if (refused.isPresent()) {
                return emit(
                        event, attempt, completed(TickCompleted.Outcome.ESCALATED, verified, attempt, refused.get()));
            }
        }
        Optional<TickCompleted> halt = refusal(event, verified.tickTokens(), attempt);
        if (halt.isPresent()) {
            return emit(event, attempt, halt.get());
        }
        int next = attempt + 1;
        EventData result = attempt(event, spec, next, verified.tickTokens(), reflections, List.copyOf(history));
        return emit(event, next, result);
    }

    public Optional<Event> onDecision(Event event) {
        ChangeDecided decided = event.dataAs(ChangeDecided.class);
        TickCompleted.Outcome outcome =
                switch (decided.decision()) {
                    case REPORTED -> TickCompleted.Outcome.REPORTED;
                    case MERGED -> TickCompleted.Outcome.MERGED;
                    case PROPOSED -> TickCompleted.Outcome.PROPOSED;
                    case AWAITING_APPROVAL -> TickCompleted.Outcome.AWAITING_APPROVAL;
                    case ESCALATED -> TickCompleted.Outcome.ESCALATED;
                    case HALTED -> TickCompleted.Outcome.HALTED;
                    case ERROR -> TickCompleted.Outcome.ERROR;
                };
        return emit(
                event,
                event.attempt(),
                new TickCompleted(
                        outcome,
                        decided.tickTokens(),
                        event.attempt(),
                        decided.reason() != null ? decided.reason() : "gate decided " + outcome.wireName(),
                        decided.branch(),
                        decided.commit(),
                        decided.halt()));
    }

    private static TickCompleted completed(
            TickCompleted.Outcome outcome, ChangeVerified verified, int attempt, String reason) {
        return new TickCompleted(outcome, verified.tickTokens(), attempt, reason, null, null);
    }

    private Optional<Event> emit(Event cause, int attempt, EventData data) {
        if (data instanceof TickCompleted done) {
            registry.counter(
                            "loopline.agent.completions",
                            "outcome",
                            done.outcome().wireName())
                    .increment();
        }
        return Optional.of(
                Event.of(SOURCE, clock.instant(), cause.loopId(), cause.tickId(), cause.team(), attempt, data));
    }
}
